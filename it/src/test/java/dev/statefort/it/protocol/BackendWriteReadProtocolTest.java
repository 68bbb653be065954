package dev.statefort.it.protocol;

import static dev.statefort.it.support.Fixtures.lockInfo;
import static dev.statefort.it.support.Fixtures.newLockId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.LockLayout;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortClient.Response;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Protocol page section 2, rules 2, 5, 7 and 8 (Content-MD5): writes, reads and the lock check on writes. */
class BackendWriteReadProtocolTest extends ServerTestBase {

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT"})
    void writeWithTheHoldersLockIdIsAccepted(String method) {
        String state = newStatePath("write-match-" + method.toLowerCase());
        String id = newLockId();
        assertThat(lock(writer, LockLayout.LOCK_URL, state, lockInfo(id)).status())
                .isEqualTo(200);
        byte[] body = Fixtures.terraformState(1, newLockId(), "v1");

        Response written = writer.write(method, state, body, id);

        assertThat(written.status()).as("%s", written).isEqualTo(200);
        assertThat(writer.get(state).body()).isEqualTo(body);
        assertThat(unlock(writer, LockLayout.LOCK_URL, state, lockInfo(id)).status())
                .isEqualTo(200);
    }

    @Test
    void writeWithAnotherLockIdWhileLockedAnswers423WithTheHolderAndStoresNothing() {
        String state = newStatePath("write-wrong-id");
        byte[] before = Fixtures.terraformState(1, newLockId(), "before");
        assertThat(writer.write(state, before, null).status()).isEqualTo(200);
        byte[] holder = lockInfo(newLockId());
        assertThat(lock(writer, LockLayout.STATE_URL, state, holder).status()).isEqualTo(200);

        Response refused = writer.write(state, Fixtures.terraformState(2, newLockId(), "after"), newLockId());

        assertThat(refused.status()).as("%s", refused).isEqualTo(423);
        assertThat(refused.body()).isEqualTo(holder);
        assertThat(writer.get(state).body()).isEqualTo(before);
        assertThat(unlock(writer, LockLayout.STATE_URL, state, holder).status()).isEqualTo(200);
    }

    @Test
    void writeWithoutLockIdWhileLockedAnswers423WithTheHolderAndStoresNothing() {
        String state = newStatePath("write-no-id-locked");
        byte[] before = Fixtures.terraformState(1, newLockId(), "before");
        assertThat(writer.write(state, before, null).status()).isEqualTo(200);
        byte[] holder = lockInfo(newLockId());
        assertThat(lock(writer, LockLayout.LOCK_URL, state, holder).status()).isEqualTo(200);

        Response refused = writer.write(state, Fixtures.terraformState(2, newLockId(), "after"), null);

        assertThat(refused.status()).as("%s", refused).isEqualTo(423);
        assertThat(refused.body()).isEqualTo(holder);
        assertThat(writer.get(state).body()).isEqualTo(before);
        assertThat(unlock(writer, LockLayout.LOCK_URL, state, holder).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT"})
    void writeWithoutLockIdWhileUnlockedIsAccepted(String method) {
        String state = newStatePath("write-unlocked-" + method.toLowerCase());
        byte[] body = Fixtures.terraformState(1, newLockId(), "v1");

        Response written = writer.write(method, state, body, null);

        assertThat(written.status()).as("%s", written).isEqualTo(200);
        assertThat(writer.get(state).body()).isEqualTo(body);
    }

    @Test
    void prettyPrintedTerraformStateIsReturnedByteForByte() {
        assertRoundTrip("tf-pretty", Fixtures.terraformState(7, newLockId(), "pretty"));
    }

    @Test
    void compactOpenTofuStateIsReturnedByteForByte() {
        assertRoundTrip("tofu-compact", Fixtures.compactOpenTofuState(3, newLockId()));
    }

    @Test
    void openTofuEncryptedStateIsStoredAndReturnedByteForByte() {
        assertRoundTrip("tofu-encrypted", Fixtures.openTofuEncryptedState(4, newLockId()));
    }

    @Test
    void anyJsonObjectIsStoredAndReturnedByteForByte() {
        assertRoundTrip(
                "odd-object",
                "  {\"z\":1,  \"a\":[true,null,1.50e3],\"\\u00e9\":\"\u00fc\u2603\"}\n\n"
                        .getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRoundTrip(String hint, byte[] body) {
        String state = newStatePath(hint);
        Response written = writer.write(state, body, null);
        assertThat(written.status()).as("%s", written).isEqualTo(200);

        Response read = writer.get(state);

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(body);
    }

    @Test
    void refusedLargeWritesLeaveKeepAliveConnectionsUsable() {
        // The JDK client, like Go's, reuses connections: an early 423/400 must not leave body bytes in the stream.
        String state = newStatePath("refused-large");
        byte[] before = Fixtures.terraformState(1, newLockId(), "before");
        assertThat(writer.write(state, before, null).status()).isEqualTo(200);
        String holderId = newLockId();
        byte[] holder = lockInfo(holderId);
        assertThat(lock(writer, LockLayout.STATE_URL, state, holder).status()).isEqualTo(200);
        byte[] large = ("{\"padding\":\"" + "y".repeat(3_000_000) + "\"}").getBytes(StandardCharsets.UTF_8);

        for (int i = 0; i < 3; i++) {
            Response locked = writer.write(state, large, null);
            assertThat(locked.status()).as("%s", locked).isEqualTo(423);
            assertThat(locked.body()).isEqualTo(holder);
            Response badMd5 = writer.send(
                    "POST", state + "?ID=" + holderId, large, "Content-Md5", StatefortClient.contentMd5(before));
            assertThat(badMd5.status()).as("%s", badMd5).isEqualTo(400);
            assertThat(writer.get(state).body()).isEqualTo(before);
        }
        assertThat(unlock(writer, LockLayout.STATE_URL, state, holder).status()).isEqualTo(200);
    }

    @Test
    void readsAreNotBlockedWhileTheStateIsLocked() {
        String state = newStatePath("read-while-locked");
        byte[] body = Fixtures.terraformState(1, newLockId(), "v1");
        assertThat(writer.write(state, body, null).status()).isEqualTo(200);
        byte[] holder = lockInfo(newLockId());
        assertThat(lock(writer, LockLayout.STATE_URL, state, holder).status()).isEqualTo(200);

        Response read = writer.get(state);

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(body);
        assertThat(unlock(writer, LockLayout.STATE_URL, state, holder).status()).isEqualTo(200);
    }

    @Test
    void readOfAStateThatWasNeverWrittenAnswersNoState() {
        assertNoState(writer.get(newStatePath("never-written")));
    }

    @Test
    void writesMayLowerTheSerialAndChangeTheLineage() {
        // state push -force and init -migrate-state do both; rule 7 forbids refusing them.
        String state = newStatePath("serial-down");
        assertThat(writer.write(state, Fixtures.terraformState(5, newLockId(), "a"), null)
                        .status())
                .isEqualTo(200);
        byte[] lower = Fixtures.terraformState(1, newLockId(), "b");

        Response written = writer.write(state, lower, null);

        assertThat(written.status()).as("%s", written).isEqualTo(200);
        assertThat(writer.get(state).body()).isEqualTo(lower);
    }

    @Test
    void contentMd5MismatchAnswers400AndStoresNothing() {
        String state = newStatePath("md5-bad");
        byte[] before = Fixtures.terraformState(1, newLockId(), "before");
        assertThat(writer.write(state, before, null).status()).isEqualTo(200);
        byte[] body = Fixtures.terraformState(2, newLockId(), "after");

        Response refused = writer.send(
                "POST",
                state,
                body,
                "Content-Type",
                "application/json",
                "Content-Md5",
                StatefortClient.contentMd5("something else".getBytes(StandardCharsets.UTF_8)));

        assertThat(refused.status()).as("%s", refused).isEqualTo(400);
        assertThat(writer.get(state).body()).isEqualTo(before);
    }

    @Test
    void correctContentMd5HeaderIsAccepted() {
        String state = newStatePath("md5-good");
        byte[] body = Fixtures.compactOpenTofuState(1, newLockId());

        Response written = writer.send(
                "POST",
                state,
                body,
                "Content-Type",
                "application/json",
                "Content-Md5",
                StatefortClient.contentMd5(body));

        assertThat(written.status()).as("%s", written).isEqualTo(200);
        assertThat(writer.get(state).body()).isEqualTo(body);
    }

    @Test
    void writeWithoutContentMd5IsAccepted() {
        String state = newStatePath("md5-absent");
        byte[] body = Fixtures.compactOpenTofuState(1, newLockId());

        Response written = writer.send("POST", state, body, "Content-Type", "application/json");

        assertThat(written.status()).as("%s", written).isEqualTo(200);
        assertThat(writer.get(state).body()).isEqualTo(body);
    }

    @Test
    void writeWithChunkedBodyIsAccepted() {
        String state = newStatePath("chunked-write");
        byte[] body = Fixtures.terraformState(1, newLockId(), "chunked");

        Response written = writer.sendChunked(
                "POST",
                state,
                body,
                "Content-Type",
                "application/json",
                "Content-Md5",
                StatefortClient.contentMd5(body));

        assertThat(written.status()).as("%s", written).isEqualTo(200);
        assertThat(writer.get(state).body()).isEqualTo(body);
    }

    @Test
    void deleteOfAnUnlockedStateByAnAdminRemovesIt() {
        // Deleting a state and its history is admin-only in Statefort (a write token gets 403).
        String state = newStatePath("delete");
        assertThat(writer.write(state, Fixtures.terraformState(1, newLockId(), "x"), null)
                        .status())
                .isEqualTo(200);

        Response deleted = admin.send("DELETE", state, (byte[]) null);

        assertThat(deleted.status()).as("%s", deleted).isEqualTo(200);
        assertNoState(writer.get(state));
    }

    @Test
    void deleteOfALockedStateWithoutTheLockIdIsRefusedWithTheHolder() {
        String state = newStatePath("delete-locked");
        byte[] body = Fixtures.terraformState(1, newLockId(), "x");
        assertThat(writer.write(state, body, null).status()).isEqualTo(200);
        byte[] holder = lockInfo(newLockId());
        assertThat(lock(writer, LockLayout.LOCK_URL, state, holder).status()).isEqualTo(200);

        Response refused = admin.send("DELETE", state, (byte[]) null);

        assertThat(refused.status()).as("%s", refused).isEqualTo(423);
        assertThat(refused.body()).isEqualTo(holder);
        assertThat(writer.get(state).body()).isEqualTo(body);
        assertThat(unlock(writer, LockLayout.LOCK_URL, state, holder).status()).isEqualTo(200);
    }
}
