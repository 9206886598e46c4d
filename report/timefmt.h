/*
 * timefmt.h - UTC day starts, ISO 8601 times and dates, as the history and
 * export renderers print them (moved as they were from src/cli_util.c, so
 * that report/ can use them; the names are still the CLI's).
 */
#ifndef WUDIAG_TIMEFMT_H
#define WUDIAG_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

int64_t cli_day_start(int64_t us);                          /* 00:00 UTC */
/* 2017-07-23T07:25:41Z, or with micro 2017-07-23T07:25:41.804504Z */
const char *cli_iso_time(int64_t us, int micro, char *buf, size_t len);
const char *cli_date(int64_t us, char *buf, size_t len);     /* 2017-07-23 */

#endif
