// Guest module without a default export: running it must be reported, not crash the host.
export const notAGuest = 1;
