// Rules: placeholder until the module lands.
