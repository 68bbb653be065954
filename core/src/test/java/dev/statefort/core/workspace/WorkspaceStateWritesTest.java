package dev.statefort.core.workspace;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.lock.LockService;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.state.StateService;
import dev.statefort.core.state.WriteOutcome;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.core.testing.TestClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An upload URL is used up by a PUT refused for what it sent, and given back by one that failed on
 * the server's side before anything was written, so go-tfe's retry of a 5xx goes through.
 */
class WorkspaceStateWritesTest {
    private static final StateKey KEY = new StateKey("p", "net");
    private static final byte[] STATE =
            "{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"resources\":[],\"outputs\":{}}".getBytes(UTF_8);

    private final TestClock clock = new TestClock();
    private final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
    private StateService states;
    private WorkspaceStateWrites writes;
    private final Principal writer = new Principal("token:writer", "p", Permission.WRITE);

    @BeforeEach
    void setUp() {
        metadata.createProject("p", clock.instant());
        states = StateService.withDefaults(metadata, new InMemoryBlobStore(), 1 << 20, clock);
        writes = new WorkspaceStateWrites(metadata, states, clock);
        new WorkspaceLocks(
                        new LockService(
                                metadata,
                                new SettingsService(metadata, clock),
                                new AuditService(metadata, clock),
                                clock),
                        clock)
                .lock(writer, KEY, "apply", "1.11.4");
    }

    private String stateUrl() throws Exception {
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(STATE));
        return writes.grantUploads(writer, KEY, new WorkspaceStateWrites.Declared(1, "l", md5, false))
                .stateSecret();
    }

    @Test
    void aBodyCutOffGivesTheUrlBackAndTheRetryWritesOnce() throws Exception {
        String secret = stateUrl();
        InputStream cutOff = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ < 10) {
                    return STATE[sent - 1];
                }
                throw new IOException("connection reset");
            }
        };
        assertThatThrownBy(() -> writes.redeem(secret, cutOff, "127.0.0.1")).isInstanceOf(IOException.class);
        assertThat(metadata.headVersion(KEY)).as("nothing written").isEmpty();

        var retried = writes.redeem(secret, new ByteArrayInputStream(STATE), "127.0.0.1");
        assertThat(((WorkspaceStateWrites.Uploaded.State) retried).outcome()).isInstanceOf(WriteOutcome.Written.class);
        assertThatThrownBy(() -> writes.redeem(secret, new ByteArrayInputStream(STATE), "127.0.0.1"))
                .as("and then it is used up")
                .isInstanceOf(NotFoundException.class);
        assertThat(metadata.headVersion(KEY).orElseThrow().number()).isEqualTo(1);
    }

    @Test
    void aBodyThatIsNotWhatWasDeclaredUsesTheUrlUp() throws Exception {
        String secret = stateUrl();
        byte[] other = "{\"version\":4,\"serial\":2,\"lineage\":\"l\",\"resources\":[]}".getBytes(UTF_8);
        assertThatThrownBy(() -> writes.redeem(secret, new ByteArrayInputStream(other), "127.0.0.1"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> writes.redeem(secret, new ByteArrayInputStream(STATE), "127.0.0.1"))
                .isInstanceOf(NotFoundException.class);
        assertThat(metadata.headVersion(KEY)).isEmpty();
    }
}
