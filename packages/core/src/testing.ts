// Public face of @unitrace/core (testing).
export {};
