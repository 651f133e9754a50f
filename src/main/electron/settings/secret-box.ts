/** The async safeStorage API (the sync one is deprecated in Electron 45 and removed in 46). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
}

/** Thrown instead of ever writing a secret in clear. The message is for the user. */
export class EncryptionUnavailableError extends Error {
  constructor() {
    super(
      'This computer offers no secure storage for passwords (OS encryption is unavailable), so the password was not saved. ' +
        'IT can supply passwords through the machine-wide config file instead.',
    );
    this.name = 'EncryptionUnavailableError';
  }
}

export interface OpenedSecret {
  value: string;
  /** Set when the OS rotated its key: store this instead of the old blob. */
  resealed: string | null;
}

/** Seals secrets with the OS (DPAPI on Windows) into base64 blobs for the settings file. */
export class SecretBox {
  constructor(private readonly storage: SafeStorageLike) {}

  isAvailable(): Promise<boolean> {
    return this.storage.isAsyncEncryptionAvailable();
  }

  async seal(value: string): Promise<string> {
    if (!(await this.storage.isAsyncEncryptionAvailable())) throw new EncryptionUnavailableError();
    return (await this.storage.encryptStringAsync(value)).toString('base64');
  }

  async open(sealed: string): Promise<OpenedSecret> {
    const { result, shouldReEncrypt } = await this.storage.decryptStringAsync(Buffer.from(sealed, 'base64'));
    return { value: result, resealed: shouldReEncrypt ? await this.seal(result) : null };
  }
}
