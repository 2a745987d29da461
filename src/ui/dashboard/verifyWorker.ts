/** The dashboard's Web Worker: replays score files off the main thread, so the page stays responsive. */
import { verifyBatch, type VerifyMessage, type VerifyRequest } from './verifyBatch';

self.addEventListener('message', (event: MessageEvent<VerifyRequest>) => {
  verifyBatch(event.data, (message: VerifyMessage) => self.postMessage(message));
});
