/* tmpdir.h - a scratch directory for tests that write files: how many
 * entries it has, and its removal. Shared by every test program. */
#ifndef SPNAUDIT_TMPDIR_H
#define SPNAUDIT_TMPDIR_H

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Entries of dir other than . and .. */
static inline int
tmpdir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    ck_assert_msg(d != NULL, "cannot list %s", dir);
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* Remove the files in dir, then dir. */
static inline void
tmpdir_remove(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (remove(path) != 0)
            fprintf(stderr, "cannot remove %s\n", path);
    }
    if (d != NULL)
        closedir(d);
    rmdir(dir);
}

#endif
