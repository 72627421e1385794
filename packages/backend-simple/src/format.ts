// Public face of @unitrace/backend-simple (format).
export {};
