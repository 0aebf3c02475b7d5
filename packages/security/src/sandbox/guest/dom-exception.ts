// DOMException, for the errors the web's APIs throw with it (btoa's InvalidCharacterError,
// structuredClone's DataCloneError, getRandomValues's QuotaExceededError): a name, a message and
// the legacy numeric code of the names that have one.

const LEGACY_CODES: Readonly<Record<string, number>> = {
  IndexSizeError: 1,
  HierarchyRequestError: 3,
  WrongDocumentError: 4,
  InvalidCharacterError: 5,
  NoModificationAllowedError: 7,
  NotFoundError: 8,
  NotSupportedError: 9,
  InvalidStateError: 11,
  SyntaxError: 12,
  InvalidModificationError: 13,
  NamespaceError: 14,
  InvalidAccessError: 15,
  TypeMismatchError: 17,
  SecurityError: 18,
  NetworkError: 19,
  AbortError: 20,
  URLMismatchError: 21,
  QuotaExceededError: 22,
  TimeoutError: 23,
  InvalidNodeTypeError: 24,
  DataCloneError: 25,
};

export class DOMException extends Error {
  readonly code: number;
  constructor(message = '', name = 'Error') {
    super(String(message));
    const kind = String(name);
    Object.defineProperty(this, 'name', { value: kind, writable: true, configurable: true, enumerable: false });
    this.code = Object.prototype.hasOwnProperty.call(LEGACY_CODES, kind) ? LEGACY_CODES[kind]! : 0;
  }
}
