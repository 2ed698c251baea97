import env from '#start/env'
import { defineConfig, drivers } from '@adonisjs/core/encryption'

/**
 * How the app encrypts values: the cookie session store, encrypted
 * cookies and anything the app passes to the "encryption" service.
 * AdonisJS 7 builds its encrypter from this file (there is no fallback
 * to APP_KEY), so the server and the tests need it to boot.
 */
const encryptionConfig = defineConfig({
  /**
   * The encryptor used when none is named.
   */
  default: 'gcm',

  list: {
    /**
     * AES-256-GCM: encrypts and authenticates, so a tampered value fails
     * to decrypt instead of decrypting to garbage. The first key
     * encrypts; every key is tried to decrypt, so a new key goes first
     * and the old one stays listed until the values made with it expire.
     */
    gcm: drivers.aes256gcm({
      id: 'gcm',
      keys: [env.get('APP_KEY')],
    }),
  },
})

export default encryptionConfig

/**
 * The configured encryptors, for the types of the "encryption" service.
 */
declare module '@adonisjs/core/types' {
  export interface EncryptorsList extends InferEncryptors<typeof encryptionConfig> {}
}
