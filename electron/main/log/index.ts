export { createLogger, silentLogger, LOG_FILE_NAME, LOG_LEVELS, type Logger, type LoggerOptions, type LogLevel } from './logger';
export { redact, redactString, rememberSecret, isSecretKey, REDACTED } from './redact';
