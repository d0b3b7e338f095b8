/* replay.c - main() for a fuzz harness outside libFuzzer: runs
 * LLVMFuzzerTestOneInput on every file of the directories (or the files)
 * given, so the unit tests replay each corpus, seeds and the crashes kept
 * as regression inputs, with any compiler and under the sanitizer build.
 * A broken invariant aborts; no input at all is a failure too. */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Run the harness on the file at path; false when it cannot be read. */
static bool
replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL;
    long size;
    bool ok = false;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        goto cleanup;
    if ((data = malloc(size > 0 ? (size_t)size : 1)) == NULL ||
        fread(data, 1, (size_t)size, f) != (size_t)size)
        goto cleanup;
    LLVMFuzzerTestOneInput(data, (size_t)size);
    ok = true;
cleanup:
    if (!ok)
        fprintf(stderr, "replay: cannot read %s\n", path);
    if (f != NULL)
        fclose(f);
    free(data);
    return ok;
}

int
main(int argc, char **argv)
{
    size_t n = 0;

    for (int i = 1; i < argc; i++) {
        struct stat st;
        DIR *d;
        struct dirent *e;

        if (stat(argv[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
            if (!replay_file(argv[i]))
                return 1;
            n++;
            continue;
        }
        if ((d = opendir(argv[i])) == NULL)
            return 1;
        while ((e = readdir(d)) != NULL) {
            char path[4096];
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
            if (!replay_file(path)) {
                closedir(d);
                return 1;
            }
            n++;
        }
        closedir(d);
    }
    printf("replayed %zu inputs\n", n);
    return n > 0 ? 0 : 1;
}
