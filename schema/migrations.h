/*
 * migrations.h - the schema as an ordered list of migrations.
 *
 * Each schema/NNN_name.sql file becomes one entry (generated into
 * build/gen/migrations.c); entry N brings a database from version N-1 to N.
 * PRAGMA user_version holds the version a database is at.
 */
#ifndef WUDIAG_MIGRATIONS_H
#define WUDIAG_MIGRATIONS_H

struct migration {
    int version;
    const char *name;
    const char *sql;
};

extern const struct migration migrations[];
extern const int migrations_len;

#endif
