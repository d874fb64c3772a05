import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { type S3ServerProcess, startS3Server } from '@taskinbox/testing';
import { blobStoreContract } from './blob-store.contract';
import { S3Store } from './s3.store';

// A real S3-compatible server (moto_server) on a port of this test's own: no mock of S3.
describe('S3Store against moto_server', () => {
  let server: S3ServerProcess;
  blobStoreContract(
    async () => {
      server = await startS3Server();
      const options = { region: 'us-east-1', endpoint: server.endpoint, forcePathStyle: true, credentials: server.credentials };
      const admin = new S3Client(options);
      await admin.send(new CreateBucketCommand({ Bucket: 'attachments-contract' }));
      admin.destroy();
      return new S3Store({ ...options, bucket: 'attachments-contract' });
    },
    async (store) => {
      await store.close();
      await server?.stop();
    },
  );
});
