// Intentionally empty until this package's issue lands: see README.md. No placeholder exports.
export {};
