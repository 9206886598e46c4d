/*
 * redact_pass.c - the --redact learning pass over the stored events (see
 * redact_pass.h): the export iterator, in constant memory.
 */
#include "src/redact_pass.h"
#include "src/cli.h"
#include "diagnosis/redact.h"
#include "store/store.h"

int redact_learn_store(struct cli *cli, const char *host, int64_t since_us,
                       struct redactor *rd)
{
    struct export_query q = {host, since_us, 0};
    struct store_export *x = NULL;
    struct export_event ev;
    char err[512];
    int got, rc = EXIT_OK;

    if (store_export_begin(cli->store, &q, &x, err, sizeof err) != STORE_OK) {
        fprintf(cli->err, "wudiag: %s: %s\n", cli->db_path, err);
        return EXIT_DB;
    }
    while ((got = store_export_next(x, &ev)) > 0)
        if (redact_learn_export(rd, &ev) != 0) {
            fprintf(cli->err, "wudiag: out of memory\n");
            rc = EXIT_INTERNAL;
            break;
        }
    if (got < 0 && rc == EXIT_OK) {
        fprintf(cli->err, "wudiag: %s: %s\n", cli->db_path, store_export_error(x));
        rc = EXIT_DB;
    }
    store_export_end(x);
    return rc;
}
