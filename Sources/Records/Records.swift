// Records: placeholder until the module lands.
