// CEL: placeholder until the module lands.
