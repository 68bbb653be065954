package dev.statefort.it.protocol;

import static dev.statefort.it.support.Fixtures.lockInfo;
import static dev.statefort.it.support.Fixtures.newLockId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.LockLayout;
import dev.statefort.it.support.RawHttp;
import dev.statefort.it.support.StatefortClient.Response;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Protocol page section 2, rules 1, 3, 4 and 9: LOCK and UNLOCK in every layout. */
class BackendLockProtocolTest extends ServerTestBase {

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void lockOfStateThatDoesNotExistYetSucceeds(LockLayout layout) {
        String state = newStatePath("lock-new");
        byte[] info = lockInfo(newLockId());

        assertThat(lock(writer, layout, state, info).status()).isEqualTo(200);

        assertNoState(writer.get(state));
        assertLockedBy(state, info);
        assertThat(unlock(writer, layout, state, info).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void lockWithTheSameIdAnswers200Again(LockLayout layout) {
        String state = newStatePath("lock-same-id");
        byte[] info = lockInfo(newLockId());
        assertThat(lock(writer, layout, state, info).status()).isEqualTo(200);

        Response again = lock(writer, layout, state, info);

        assertThat(again.status()).as("%s", again).isEqualTo(200);
        assertLockedBy(state, info);
        assertThat(unlock(writer, layout, state, info).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void conflictingLockAnswers423WithTheHoldersLockInfoByteForByte(LockLayout layout) {
        String state = newStatePath("lock-conflict");
        String holderId = newLockId();
        byte[] holder = lockInfo(holderId, "OperationTypePlan");
        assertThat(lock(writer, layout, state, holder).status()).isEqualTo(200);

        Response refused = lock(writer, layout, state, lockInfo(newLockId()));

        assertThat(refused.status()).as("%s", refused).isEqualTo(423);
        assertThat(refused.body()).isEqualTo(holder);
        assertThat(refused.json().path("ID").asText()).isEqualTo(holderId);
        assertThat(unlock(writer, layout, state, holder).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void unlockWithTheMatchingIdReleasesTheLock(LockLayout layout) {
        String state = newStatePath("unlock-match");
        byte[] info = lockInfo(newLockId());
        assertThat(lock(writer, layout, state, info).status()).isEqualTo(200);

        Response released = unlock(writer, layout, state, info);

        assertThat(released.status()).as("%s", released).isEqualTo(200);
        assertUnlocked(state);
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void unlockWithAnEmptyChunkedBodyForceReleasesTheLock(LockLayout layout) {
        String state = newStatePath("unlock-chunked");
        assertThat(lock(writer, layout, state, lockInfo(newLockId())).status()).isEqualTo(200);

        // Terraform's force-unlock: empty body, Transfer-Encoding: chunked, the typed ID is never sent.
        Response released = writer.sendChunked(layout.unlockMethod, layout.lockPath(state), new byte[0]);

        assertThat(released.status()).as("%s", released).isEqualTo(200);
        assertUnlocked(state);
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void unlockWithNoBodyForceReleasesTheLock(LockLayout layout) {
        String state = newStatePath("unlock-nobody");
        assertThat(lock(writer, layout, state, lockInfo(newLockId())).status()).isEqualTo(200);

        Response released = writer.send(layout.unlockMethod, layout.lockPath(state), (byte[]) null);

        assertThat(released.status()).as("%s", released).isEqualTo(200);
        assertUnlocked(state);
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void unlockWithoutBodyOrContentLengthHeaderForceReleasesTheLock(LockLayout layout) {
        String state = newStatePath("unlock-raw");
        assertThat(lock(writer, layout, state, lockInfo(newLockId())).status()).isEqualTo(200);

        String answer = new RawHttp(server.port())
                .exchange(
                        layout.unlockMethod + " " + layout.lockPath(state) + " HTTP/1.1\r\n" + "Host: 127.0.0.1:"
                                + server.port() + "\r\n" + "Authorization: Bearer " + writerToken + "\r\n"
                                + "Connection: close\r\n\r\n",
                        new byte[0]);

        assertThat(RawHttp.statusOf(answer)).as(answer).isEqualTo(200);
        assertUnlocked(state);
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void unlockWithAnotherIdAnswers409WithTheHolderAndKeepsTheLock(LockLayout layout) {
        String state = newStatePath("unlock-other");
        byte[] holder = lockInfo(newLockId());
        assertThat(lock(writer, layout, state, holder).status()).isEqualTo(200);

        Response refused = unlock(writer, layout, state, lockInfo(newLockId()));

        assertThat(refused.status()).as("%s", refused).isEqualTo(409);
        assertThat(refused.body()).isEqualTo(holder);
        assertLockedBy(state, holder);
        assertThat(unlock(writer, layout, state, holder).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void unlockWhenNothingIsHeldAnswers200(LockLayout layout) {
        String state = newStatePath("unlock-free");
        writer.write(state, Fixtures.terraformState(1, newLockId(), "a"), null);

        Response response = unlock(writer, layout, state, lockInfo(newLockId()));

        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertUnlocked(state);
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void openTofuForceUnlockBodyWithTheMatchingIdReleasesTheLock(LockLayout layout) {
        String state = newStatePath("unlock-tofu");
        String holderId = newLockId();
        assertThat(lock(writer, layout, state, lockInfo(holderId)).status()).isEqualTo(200);

        Response released = unlock(writer, layout, state, Fixtures.openTofuForceUnlockBody(holderId));

        assertThat(released.status()).as("%s", released).isEqualTo(200);
        assertUnlocked(state);
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void openTofuForceUnlockBodyWithAnotherIdAnswers409(LockLayout layout) {
        String state = newStatePath("unlock-tofu-other");
        byte[] holder = lockInfo(newLockId());
        assertThat(lock(writer, layout, state, holder).status()).isEqualTo(200);

        Response refused = unlock(writer, layout, state, Fixtures.openTofuForceUnlockBody(newLockId()));

        assertThat(refused.status()).as("%s", refused).isEqualTo(409);
        assertThat(refused.body()).isEqualTo(holder);
        assertThat(unlock(writer, layout, state, holder).status()).isEqualTo(200);
    }

    @Test
    void lockAtTheStateUrlAndAtTheLockUrlIsOneAndTheSameLock() {
        String state = newStatePath("lock-both-layouts");
        byte[] holder = lockInfo(newLockId());
        assertThat(lock(writer, LockLayout.STATE_URL, state, holder).status()).isEqualTo(200);

        Response viaLockUrl = lock(writer, LockLayout.LOCK_URL, state, lockInfo(newLockId()));
        Response viaPost = lock(writer, LockLayout.LOCK_URL_POST_DELETE, state, lockInfo(newLockId()));
        assertThat(viaLockUrl.status()).as("%s", viaLockUrl).isEqualTo(423);
        assertThat(viaPost.status()).as("%s", viaPost).isEqualTo(423);
        assertThat(viaPost.body()).isEqualTo(holder);

        Response released = unlock(writer, LockLayout.LOCK_URL_POST_DELETE, state, holder);
        assertThat(released.status()).as("%s", released).isEqualTo(200);
        assertUnlocked(state);
    }

    @Test
    void lockInfoIsStoredExactlyAsReceivedIncludingUnknownFieldsAndFreeTextOperation() {
        String state = newStatePath("lock-raw-info");
        String id = newLockId();
        byte[] holder = ("{\"ID\":\"" + id
                        + "\",\"Operation\":\"migration destination state\",\"Info\":\"caf\u00e9 \\\"x\\\"\","
                        + "\"Who\":\"ci@runner-7\",\"Version\":\"1.10.6\",\"Created\":\"2026-11-22T02:47:00Z\","
                        + "\"Path\":\"\",\"Extra\":{\"k\":[1,2]}}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(lock(writer, LockLayout.LOCK_URL, state, holder).status()).isEqualTo(200);

        assertLockedBy(state, holder);
        assertThat(unlock(writer, LockLayout.LOCK_URL, state, holder).status()).isEqualTo(200);
    }
}
