// Public face of @unitrace/emulator.
export {};
