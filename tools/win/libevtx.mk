# libevtx.mk - compiles libevtx and the libyal libraries bundled in Debian's
# libevtx source package into one static library, without our warning
# flags (third-party code).  Run by `make windows` once SRC is unpacked and
# configured for mingw-w64 (see the Makefile's Windows section).
# Usage: make -f tools/win/libevtx.mk CC=... AR=... SRC=DIR OBJ=DIR LIB=FILE CPPFLAGS=...

# what libevtx links (its Makefile.am's LIBADD); evtxtools' libexe, libregf,
# libwrc and libcdirectory are not needed
LIBYAL = libcerror libcthreads libcdata libclocale libcnotify libcsplit libuna \
         libcfile libcpath libbfio libfcache libfdata libfdatetime libfguid \
         libfvalue libfwevt libfwnt libevtx
YAL_SRC  = $(foreach d,$(LIBYAL),$(wildcard $(SRC)/$(d)/*.c))
YAL_OBJ  = $(patsubst $(SRC)/%.c,$(OBJ)/%.o,$(YAL_SRC))
YAL_INCS = -I$(SRC)/include -I$(SRC)/common $(addprefix -I$(SRC)/,$(LIBYAL))

$(LIB): $(YAL_OBJ)
	@test -n "$(YAL_SRC)" || { echo "libevtx.mk: no sources in $(SRC)" >&2; exit 1; }
	@rm -f $@
	@$(AR) rcs $@ $^
	@echo "$@: $(words $^) objects from $(SRC)"

$(OBJ)/%.o: $(SRC)/%.c
	@mkdir -p $(dir $@)
	@$(CC) -O2 -w -DHAVE_CONFIG_H $(CPPFLAGS) $(YAL_INCS) -c -o $@ $<
