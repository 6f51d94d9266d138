/**
 * The errors a command throws to end with a message (error-report.ts turns them into text and an
 * exit code). Kept apart from the report so that throwing one does not load everything the report
 * recognises (platform, sandbox and lock errors).
 */

/** A mistake in how cac was invoked (unknown flag, bad value): exit 1 with a hint, no stack trace. */
export class UsageError extends Error {}

/** A run that cannot go on, for a reason the message states (a port in use): exit 1, no hint. */
export class RunFailure extends Error {}
