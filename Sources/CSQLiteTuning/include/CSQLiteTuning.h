#ifndef WANXIA_CSQLITE_TUNING_H
#define WANXIA_CSQLITE_TUNING_H

/// Turns off SQLite's process-wide memory statistics (`SQLITE_CONFIG_MEMSTATUS`), which take a
/// global mutex around every allocation. Must run before SQLite is first used in the process;
/// returns SQLite's result code (`SQLITE_MISUSE` when it is too late, and nothing changes).
int wanxia_sqlite_disable_memory_statistics(void);

#endif
