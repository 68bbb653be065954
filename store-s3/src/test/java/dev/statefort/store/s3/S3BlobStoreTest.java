package dev.statefort.store.s3;

import dev.statefort.core.spi.BlobStore;
import dev.statefort.store.tck.BlobStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The blob store contract on a real S3-compatible server (s3proxy), a fresh bucket per test, 5 MiB parts. */
class S3BlobStoreTest extends BlobStoreContract {
    static S3ProxyServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    protected BlobStore newStore() {
        return S3BlobStores.open(server.freshBucket().withPrefix("statefort/").withPartSize(S3Settings.MIN_PART_SIZE));
    }
}
