# Makefile - wudiag.  `make` builds build/wudiag; `make test` builds and runs
# every test; `make asan` (or SANITIZE=1) does the same under ASan + UBSan;
# `make bench` prints performance ratios; `make windows` cross-builds the .exe.

CC      ?= cc
PKGS     = libevtx expat sqlite3
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
DEFS     = -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L
MODULES  = util vocab collector store schema diagnosis report src
INCS     = -I. -Ibuild/gen

ifeq ($(SANITIZE),1)
BUILD   ?= build-asan
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
else
BUILD   ?= build
endif

ALL_CFLAGS = $(WARN) $(DEFS) $(INCS) $(CFLAGS)
LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -levtx -lexpat -lsqlite3)

# Everything but main() goes into libwudiag.a; *_win.c only in `make windows`.
LIB_SRC  = $(filter-out src/main.c %_win.c,$(wildcard $(addsuffix /*.c,$(MODULES))))
LIB_OBJ  = $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/gen/migrations.o
MIGRATIONS = $(sort $(wildcard schema/[0-9][0-9][0-9]_*.sql))

TEST_SRC = $(wildcard tests/test_*.c)
TEST_BIN = $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))

DATA    ?= $(abspath ../shared/data)

.PHONY: all test asan bench windows clean
all: $(BUILD)/wudiag

$(BUILD)/wudiag: $(BUILD)/obj/src/main.o $(BUILD)/libwudiag.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/libwudiag.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/obj/%.o: %.c $(wildcard */*.h) build/gen/migrations.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/gen/migrations.c: tools/embed_sql.sh $(MIGRATIONS)
	@mkdir -p build/gen
	sh tools/embed_sql.sh $@ $(MIGRATIONS)

build/gen/migrations.h: schema/migrations.h
	@mkdir -p build/gen
	cp $< $@

$(BUILD)/obj/gen/migrations.o: build/gen/migrations.c build/gen/migrations.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/%.c tests/testutil.h $(BUILD)/libwudiag.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(BUILD)/libwudiag.a $(LIBS) -lcmocka

# Every test program runs even if an earlier one fails; the target fails if any did.
test: $(BUILD)/wudiag $(TEST_BIN)
	@fail=0; sh tools/check-layers.sh || fail=1; \
	for t in $(TEST_BIN); do \
	    WUDIAG_BIN=$(abspath $(BUILD)/wudiag) WUDIAG_DATA=$(DATA) \
	    WUDIAG_SRC=$(CURDIR) $$t || fail=1; \
	done; \
	[ $$fail -eq 0 ] && echo "all test programs passed" || { echo "some tests FAILED"; exit 1; }

asan:
	$(MAKE) SANITIZE=1 test

# Every benchmark: import vs evtxexport, scale (import time and peak RSS at
# 1x/4x/16x the input, .evtx and XML), report on 1M events, fleet (1000
# host DBs: merge, fleet report, export), text logs vs grep (BENCH_TEXTLOG_MB).
bench: $(BUILD)/wudiag $(BUILD)/mkevtx
	@t=$$(mktemp) && export BENCH_TABLE=$$t && \
	sh bench/run.sh $(abspath $(BUILD)/wudiag) $(DATA) && \
	sh bench/scale.sh $(abspath $(BUILD)/wudiag) $(abspath $(BUILD)/mkevtx) $(DATA) && \
	sh bench/report.sh $(abspath $(BUILD)/wudiag) && \
	sh bench/fleet.sh $(abspath $(BUILD)/wudiag) && \
	sh bench/textlog.sh $(abspath $(BUILD)/wudiag) && \
	sh bench/table.sh $$t; rc=$$?; rm -f $$t; exit $$rc

# bench only: a large valid .evtx from N copies of a real log's chunks
$(BUILD)/mkevtx: bench/mkevtx.c util/crc32.c util/crc32.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ bench/mkevtx.c util/crc32.c

# import time and peak RSS at 1x/4x/16x the input (.evtx, XML)
bench-scale: $(BUILD)/wudiag $(BUILD)/mkevtx
	sh bench/scale.sh $(abspath $(BUILD)/wudiag) $(abspath $(BUILD)/mkevtx) $(DATA)
.PHONY: bench-scale

# merge 1000 generated host DBs; export 1M events (time and peak RSS)
bench-fleet: $(BUILD)/wudiag
	sh bench/fleet.sh $(abspath $(BUILD)/wudiag)
.PHONY: bench-fleet

# text logs: lines/s of importing a generated 1 GiB CBS.log against grep -c
# (TEXTLOG_BENCH_BYTES=... for another size)
bench-textlog: $(BUILD)/wudiag
	sh bench/textlog.sh $(abspath $(BUILD)/wudiag)
.PHONY: bench-textlog

clean:
	rm -rf build build-asan build-win build-fuzz

# ---- Hardening: `make fuzz` (libFuzzer targets), `make valgrind` ----------
# Each fuzz/fuzz_NAME.c is one libFuzzer target, built with clang from the
# sources (not from libwudiag.a, which $(CC) built) under ASan + UBSan, and
# run for FUZZ_SECONDS each by fuzz/run.sh; crashes go to build-fuzz/crash/.
# tests/test_regress.c replays tests/regress/NAME/* through the same code.
FUZZ_CC      = clang
FUZZ_SECONDS ?= 60
FUZZ_B       = build-fuzz
FUZZ_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer
FUZZ_CFLAGS  = $(WARN) $(DEFS) $(INCS) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_TARGETS = $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_OBJ     = $(patsubst %.c,$(FUZZ_B)/obj/%.o,$(LIB_SRC)) $(FUZZ_B)/obj/gen/migrations.o

fuzz: $(addprefix $(FUZZ_B)/,$(FUZZ_TARGETS))
	sh fuzz/run.sh $(FUZZ_B) $(FUZZ_SECONDS) $(DATA) $(FUZZ_TARGETS)

$(FUZZ_B)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_common.h $(FUZZ_B)/libwudiag.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_B)/libwudiag.a $(LIBS)

$(FUZZ_B)/libwudiag.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_B)/obj/%.o: %.c $(wildcard */*.h) build/gen/migrations.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_B)/obj/gen/migrations.o: build/gen/migrations.c build/gen/migrations.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

# test_regress compiles the fuzz targets in (FUZZ_NO_MAIN); test_hostile
# uses their output checkers
$(BUILD)/tests/test_regress: $(wildcard fuzz/*.c fuzz/*.h)
$(BUILD)/tests/test_hostile: fuzz/fuzz_common.h
$(BUILD)/tests/test_poison: fuzz/fuzz_common.h

# The main job (import the real logs, report --each in every format) under
# valgrind, plus the XML and text-log samples: any memory error or leak
# fails.  valgrind's own failure is exit 99, so that import's 1 (the
# damaged sample log: readable records kept) stays distinguishable.
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
           --show-leak-kinds=definite,indirect,possible \
           --errors-for-leak-kinds=definite,indirect,possible
valgrind: $(BUILD)/wudiag
	@rm -rf $(BUILD)/vg && mkdir -p $(BUILD)/vg
	$(VALGRIND) $(BUILD)/wudiag --db $(BUILD)/vg/vg.db import $(DATA)/evtx/*.evtx \
	    samples/xml/wu-events.xml samples/xml/wu-events-saved-utf16.xml \
	    >$(BUILD)/vg/import.out; [ $$? -le 1 ]
	$(VALGRIND) $(BUILD)/wudiag --db $(BUILD)/vg/vg.db import --host TEXTLOGS \
	    samples/textlog/*.log >>$(BUILD)/vg/import.out 2>&1; [ $$? -le 1 ]
	for f in text html json; do \
	    $(VALGRIND) $(BUILD)/wudiag --db $(BUILD)/vg/vg.db report --each \
	        --format $$f -o $(BUILD)/vg/report.$$f || exit 1; \
	done
	$(VALGRIND) $(BUILD)/wudiag --db $(BUILD)/vg/vg.db report --format html \
	    -o $(BUILD)/vg/fleet.html
	$(VALGRIND) $(BUILD)/wudiag explain --json 0x80070422 WU_E_NO_SERVICE \
	    0x12345678 >/dev/null; [ $$? -le 1 ]
	@echo "valgrind: no errors, no leaks"
.PHONY: fuzz valgrind

# Real machines (DATA/cases, expected.json): import each case into a fresh
# DB, score its JSON report against tests/eval/cases.tsv and expected.json;
# fails when a case of tests/eval/baseline goes wrong (tests/eval/run.sh).
eval: $(BUILD)/wudiag
	sh tests/eval/run.sh $(abspath $(BUILD)/wudiag) $(DATA) $(BUILD)/eval
.PHONY: eval

# The README's two commands: the main job, and every test (plain + ASan/UBSan).
DEMO_DB = $(BUILD)/demo.db
demo: $(BUILD)/wudiag
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@$(BUILD)/wudiag --db $(DEMO_DB) import $(DATA)/evtx/*.evtx; \
	    rc=$$?; [ $$rc -le 1 ] || exit $$rc
	@echo
	$(BUILD)/wudiag --db $(DEMO_DB) report --each

check: test eval
	$(MAKE) SANITIZE=1 test
	$(MAKE) test-windows
	$(MAKE) fuzz FUZZ_SECONDS=60
	$(MAKE) valgrind
.PHONY: demo check

# ---- Windows: `make windows` cross-builds build/wudiag.exe with mingw-w64 ----
# One static .exe: SQLite, expat and libevtx are compiled from Debian's own
# source packages (tools/deb-source.sh), so .evtx files are read by the same
# collector/evtx_source.c as on Linux; the event log API (EvtQuery) is used
# only for live channels (collector/live_win.c).  *_win.c files are
# Windows-only, *_posix.c files Linux-only.
WIN_CC    = x86_64-w64-mingw32-gcc
WIN_RC    = x86_64-w64-mingw32-windres
WIN_B     = build-win
DEPS_DIR  = build/deps
WIN_SQL   = $(WIN_B)/sqlite/sqlite3.c
WIN_EXPAT = $(DEPS_DIR)/expat/expat/lib
WIN_EVTX  = $(WIN_B)/libevtx
WIN_SRC   = $(filter-out src/main.c %_posix.c,\
              $(wildcard $(addsuffix /*.c,$(MODULES)))) src/main.c
WIN_OBJ   = $(patsubst %.c,$(WIN_B)/obj/%.o,$(WIN_SRC)) $(WIN_B)/obj/gen/migrations.o
WIN_DEFS  = -D__USE_MINGW_ANSI_STDIO=1 -DWIN32_LEAN_AND_MEAN -D_WIN32_WINNT=0x0601 \
            -DXML_STATIC -DSQLITE_OMIT_LOAD_EXTENSION
WIN_CFLAGS = $(WARN) $(WIN_DEFS) $(INCS) -I$(WIN_B)/sqlite -I$(WIN_EXPAT) \
             -isystem $(WIN_EVTX)/include -O2
WIN_LIBS  = -static -lwevtapi -lole32 -loleaut32 -luuid -ladvapi32

windows: build/wudiag.exe

build/wudiag.exe: $(WIN_OBJ) $(WIN_B)/sqlite3.o $(WIN_B)/expat.a $(WIN_B)/libevtx.a \
                  $(WIN_B)/manifest.o
	@mkdir -p build
	$(WIN_CC) -o $@ $^ $(WIN_LIBS)

$(WIN_B)/obj/%.o: %.c $(wildcard */*.h) build/gen/migrations.h $(WIN_SQL) $(WIN_EXPAT)/expat.h
	@mkdir -p $(dir $@)
	$(WIN_CC) $(WIN_CFLAGS) -c -o $@ $<

$(WIN_B)/obj/gen/migrations.o: build/gen/migrations.c build/gen/migrations.h $(WIN_SQL)
	@mkdir -p $(dir $@)
	$(WIN_CC) $(WIN_CFLAGS) -c -o $@ $<

$(WIN_SQL):
	sh tools/deb-source.sh sqlite3 $(DEPS_DIR)
	@mkdir -p $(WIN_B)/sqlite-build $(WIN_B)/sqlite
	cd $(WIN_B)/sqlite-build && $(CURDIR)/$(DEPS_DIR)/sqlite3/configure >/dev/null && \
	    $(MAKE) sqlite3.c >/dev/null
	cp $(WIN_B)/sqlite-build/sqlite3.c $(WIN_B)/sqlite-build/sqlite3.h $(WIN_B)/sqlite/

# third-party code: built as Debian ships it, without our warning flags
$(WIN_B)/sqlite3.o: $(WIN_SQL)
	$(WIN_CC) -O2 -w $(WIN_DEFS) -DSQLITE_THREADSAFE=1 -c -o $@ $<

$(WIN_EXPAT)/expat.h:
	sh tools/deb-source.sh expat $(DEPS_DIR)

$(WIN_B)/expat.a: $(WIN_EXPAT)/expat.h tools/win/expat_config.h
	@mkdir -p $(WIN_B)/expat
	for f in xmlparse xmlrole xmltok; do \
	    $(WIN_CC) -O2 -w $(WIN_DEFS) -Itools/win -I$(WIN_EXPAT) -c \
	        -o $(WIN_B)/expat/$$f.o $(WIN_EXPAT)/$$f.c || exit 1; \
	done
	x86_64-w64-mingw32-ar rcs $@ $(WIN_B)/expat/*.o

# libevtx and the libyal libraries its source package bundles (libcerror,
# libbfio, libuna, libfwevt, ...; list in tools/win/libevtx.mk), all "local"
# (Debian's Linux libevtx takes libbfio from the libbfio source package; the
# bundled copy is newer).  Its configure writes config.h and the public
# headers for mingw-w64 into a copy of the tree; no pkg-config (the build
# machine's .pc files are Linux ones).  WINVER 0x0601 (Windows 7) keeps
# libcthreads from including <Synchapi.h> (mingw-w64 spells it in lower
# case); UNICODE makes libbfio keep and open file names as UTF-16.
WIN_YAL_DEFS = -D_WIN32_WINNT=0x0601 -DWINVER=0x0601 -DWIN32_LEAN_AND_MEAN \
               -DUNICODE -D_UNICODE
WIN_YAL_WITH = $(foreach l,cerror cthreads cdata clocale cnotify csplit una cfile cpath \
                 bfio fcache fdata fdatetime fguid fvalue fwevt fwnt exe regf wrc \
                 cdirectory,--with-lib$(l)=no)

$(WIN_EVTX)/configured:
	sh tools/deb-source.sh libevtx $(DEPS_DIR)
	rm -rf $(WIN_EVTX) $(WIN_EVTX).tmp && mkdir -p $(WIN_B)
	cp -a $(DEPS_DIR)/libevtx $(WIN_EVTX).tmp
	cd $(WIN_EVTX).tmp && ./configure --host=x86_64-w64-mingw32 --disable-shared \
	    --disable-nls --with-pthread=no $(WIN_YAL_WITH) \
	    PKGCONFIG=/bin/false PKG_CONFIG=/bin/false \
	    CPPFLAGS="$(WIN_YAL_DEFS)" CFLAGS="-O2 -w" >/dev/null
	touch $(WIN_EVTX).tmp/configured && mv $(WIN_EVTX).tmp $(WIN_EVTX)

$(WIN_B)/obj/collector/evtx_source.o $(WIN_B)/obj/collector/evtx_open_win.o: $(WIN_EVTX)/configured

# a sub-make: the list of sources exists only once the package is unpacked
$(WIN_B)/libevtx.a: $(WIN_EVTX)/configured tools/win/libevtx.mk
	$(MAKE) -f tools/win/libevtx.mk CC=$(WIN_CC) AR=x86_64-w64-mingw32-ar \
	    SRC=$(WIN_EVTX) OBJ=$(WIN_B)/libevtx-obj LIB=$@ CPPFLAGS="$(WIN_YAL_DEFS)"

$(WIN_B)/manifest.o: tools/win/wudiag.rc tools/win/wudiag.manifest
	@mkdir -p $(WIN_B)
	$(WIN_RC) -I tools/win -O coff -o $@ tools/win/wudiag.rc
.PHONY: windows

# The Windows build under Wine (fresh WINEPREFIX each run).
$(BUILD)/tests/wine_test: tests/wine_test.c tests/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(LIBS) -lcmocka

test-windows: build/wudiag.exe $(BUILD)/tests/wine_test
	WUDIAG_EXE=$(abspath build/wudiag.exe) WUDIAG_BIN=$(abspath $(BUILD)/wudiag) \
	    WUDIAG_DATA=$(DATA) WUDIAG_SRC=$(CURDIR) $(BUILD)/tests/wine_test
.PHONY: test-windows
