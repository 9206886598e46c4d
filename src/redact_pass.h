/*
 * redact_pass.h - the learning pass of --redact shared by `report`,
 * `export` and `history`: every stored event of the output's hosts and
 * range goes through redact_learn_export, so a name the output shows bare
 * ("DC01") is known from any form the database holds ("\\DC01\share",
 * "dc01.corp.local"), even one the output itself does not show.
 */
#ifndef WUDIAG_REDACT_PASS_H
#define WUDIAG_REDACT_PASS_H

#include <stdint.h>

struct cli;
struct redactor;

/* Learn the events of host (NULL: every host) from since_us on (0: all).
 * EXIT_OK, or the exit code after saying why on cli->err. */
int redact_learn_store(struct cli *cli, const char *host, int64_t since_us,
                       struct redactor *rd);

#endif
