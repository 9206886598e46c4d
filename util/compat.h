/*
 * compat.h - the few compiler differences between gcc on Linux and
 * mingw-w64: printf-format checking (mingw's own printf is not C99 unless
 * __USE_MINGW_ANSI_STDIO, and gcc must check the GNU dialect then).
 */
#ifndef WUDIAG_COMPAT_H
#define WUDIAG_COMPAT_H

#if defined(__MINGW32__)
#define WU_PRINTF(fmt, args) __attribute__((format(gnu_printf, fmt, args)))
#elif defined(__GNUC__)
#define WU_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define WU_PRINTF(fmt, args)
#endif

#endif
