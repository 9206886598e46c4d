/* platform_posix.c - nothing to set up: the terminal decides the charset. */
#include "platform.h"

void platform_init(void)
{
}
