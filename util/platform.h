/*
 * platform.h - process set-up that differs per platform (platform_posix.c,
 * platform_win.c): on Windows the console is switched to UTF-8 so that
 * reports and messages print as written.
 */
#ifndef WUDIAG_PLATFORM_H
#define WUDIAG_PLATFORM_H

void platform_init(void);
/* Standard output byte for byte, no LF -> CRLF translation (Windows): for
 * the CSV and NDJSON writers, whose line ends are part of the format. */
void platform_binary_stdout(void);

#endif
