import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { LocalDiskStorage } from './local-disk.storage';
import { StoragePort } from './storage.port';

/** The storage directory under the data directory (`VAR_DIR`, default `var`). */
export const filesDir = (config: AppConfig): string => `${config.varDir}/files`;

/** Binds the port to the local disk under `${varDir}/files`. */
export const storageProvider: Provider = {
  provide: StoragePort,
  useFactory: (config: AppConfig) => new LocalDiskStorage(filesDir(config)),
  inject: [APP_CONFIG],
};
