// Spool: placeholder until the module lands.
