// Daemon: placeholder until the module lands.
