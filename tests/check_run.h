/* check_run.h - run a Check suite, print Check's summary, return the
 * process exit status. Shared by every test program. */
#ifndef SPNAUDIT_CHECK_RUN_H
#define SPNAUDIT_CHECK_RUN_H

#include <check.h>
#include <stdlib.h>

static inline int
check_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
