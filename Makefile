# Makefile - wudiag.  `make` builds build/wudiag; `make test` builds and runs
# every test; `make asan` (or SANITIZE=1) does the same under ASan + UBSan;
# `make bench` prints performance ratios; `make windows` cross-builds the .exe.

CC      ?= cc
PKGS     = libevtx expat sqlite3
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
DEFS     = -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L
MODULES  = collector store schema diagnosis report util src
INCS     = $(addprefix -I,$(MODULES)) -Ibuild/gen

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
	@fail=0; for t in $(TEST_BIN); do \
	    WUDIAG_BIN=$(abspath $(BUILD)/wudiag) WUDIAG_DATA=$(DATA) \
	    WUDIAG_SRC=$(CURDIR) $$t || fail=1; \
	done; \
	[ $$fail -eq 0 ] && echo "all test programs passed" || { echo "some tests FAILED"; exit 1; }

asan:
	$(MAKE) SANITIZE=1 test

bench: $(BUILD)/wudiag
	sh bench/run.sh $(abspath $(BUILD)/wudiag) $(DATA)

clean:
	rm -rf build build-asan build-win

# The README's two commands: the main job, and every test (plain + ASan/UBSan).
DEMO_DB = $(BUILD)/demo.db
demo: $(BUILD)/wudiag
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@$(BUILD)/wudiag --db $(DEMO_DB) import $(DATA)/evtx/*.evtx; \
	    rc=$$?; [ $$rc -le 1 ] || exit $$rc
	@echo
	$(BUILD)/wudiag --db $(DEMO_DB) report

check: test
	$(MAKE) SANITIZE=1 test
.PHONY: demo check
