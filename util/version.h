/* version.h - the one place the wudiag version is written. */
#ifndef WUDIAG_VERSION_H
#define WUDIAG_VERSION_H
#define WUDIAG_VERSION "0.1.0"
#endif
