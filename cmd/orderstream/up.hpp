#pragma once

namespace orderstream::cmd {

// `orderstream up`: runs every role as its own child process, waits until each reports
// ready, restarts a role that dies (with backoff), and on SIGINT/SIGTERM stops them all.
// Each role logs to $ORDERSTREAM_DATA_DIR/logs/<role>.log (appended across restarts).
// PostgreSQL and Kafka are expected to be running (`make run` starts them first).
int Up();

}  // namespace orderstream::cmd
