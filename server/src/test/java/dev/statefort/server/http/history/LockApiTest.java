package dev.statefort.server.http.history;

import static dev.statefort.server.http.history.TestStates.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.server.http.TestServer.Response;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Issue 4, point 7: the lock view, stale locks, force-unlock, and optional auto-expiry with fencing. */
class LockApiTest extends HistoryApiFixture {

    @Test
    void lockViewShowsLockInfoPrincipalSinceAndLastActivity() {
        written("l", state(1).json());
        assertThat(getJson("/states/l/lock").path("locked").asBoolean()).isFalse();
        Instant lockedAt = clock.instant();
        assertThat(lock("l", "apply-1", writer).status()).isEqualTo(200);

        JsonNode holder = getJson("/states/l/lock").path("holder");
        assertThat(getJson("/states/l/lock").path("locked").asBoolean()).isTrue();
        assertThat(holder.path("id").asText()).isEqualTo("apply-1");
        assertThat(holder.path("operation").asText()).isEqualTo("OperationTypeApply");
        assertThat(holder.path("who").asText()).isEqualTo("alice@laptop");
        assertThat(holder.path("info").path("Version").asText()).isEqualTo("1.11.4");
        assertThat(holder.path("info").path("ID").asText()).isEqualTo("apply-1");
        assertThat(holder.path("principal").asText()).isNotBlank();
        assertThat(holder.path("acquiredAt").asText()).isEqualTo(lockedAt.toString());
        assertThat(holder.path("lastActivityAt").asText()).isEqualTo(lockedAt.toString());
        assertThat(holder.path("stale").asBoolean()).isFalse();

        clock.advance(Duration.ofMinutes(3));
        Instant wroteAt = clock.instant();
        assertThat(write("l", state(2).json(), "apply-1").status()).isEqualTo(200);
        holder = getJson("/states/l/lock").path("holder");
        assertThat(holder.path("acquiredAt").asText()).isEqualTo(lockedAt.toString());
        assertThat(holder.path("lastActivityAt").asText()).isEqualTo(wroteAt.toString());

        // a write refused for another ID is no activity of the holder
        clock.advance(Duration.ofMinutes(1));
        assertThat(write("l", state(3).json(), "someone-else").status()).isEqualTo(423);
        assertThat(getJson("/states/l/lock")
                        .path("holder")
                        .path("lastActivityAt")
                        .asText())
                .isEqualTo(wroteAt.toString());
    }

    @Test
    void aLockIdleLongerThanTheConfiguredTimeIsReportedStale() {
        settings("{\"lockStaleMinutes\":10}");
        assertThat(lock("st", "apply-1", writer).status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(9));
        assertThat(getJson("/states/st/lock").path("holder").path("stale").asBoolean())
                .isFalse();
        clock.advance(Duration.ofMinutes(2));
        assertThat(getJson("/states/st/lock").path("holder").path("stale").asBoolean())
                .isTrue();
        // activity makes it fresh again
        assertThat(write("st", state(1).json(), "apply-1").status()).isEqualTo(200);
        assertThat(getJson("/states/st/lock").path("holder").path("stale").asBoolean())
                .isFalse();
    }

    @Test
    void staleDefaultsToOneHourOfInactivity() {
        assertThat(lock("st1h", "apply-1", writer).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(59));
        assertThat(getJson("/states/st1h/lock").path("holder").path("stale").asBoolean())
                .isFalse();
        clock.advance(Duration.ofMinutes(2));
        assertThat(getJson("/states/st1h/lock").path("holder").path("stale").asBoolean())
                .isTrue();
    }

    @Test
    void forceUnlockReleasesTheLockNeedsAdminAndIsAudited() {
        assertThat(lock("fu", "apply-1", writer).status()).isEqualTo(200);

        assertThat(delete("/states/fu/lock", writer).status()).isEqualTo(403);
        assertThat(getJson("/states/fu/lock").path("locked").asBoolean()).isTrue();

        Response released = delete("/states/fu/lock", admin);
        assertThat(released.status()).isEqualTo(200);
        assertThat(released.json().path("released").asBoolean()).isTrue();
        assertThat(getJson("/states/fu/lock").path("locked").asBoolean()).isFalse();
        assertThat(lock("fu", "apply-2", writer).status()).isEqualTo(200);
        assertThat(audit("lock.force-unlock")).singleElement().satisfies(e -> {
            assertThat(e.path("state").asText()).isEqualTo("fu");
            assertThat(e.path("detail").path("lockId").asText()).isEqualTo("apply-1");
            assertThat(e.path("principal").asText()).isNotBlank();
        });

        assertThat(unlock("fu", "apply-2").status()).isEqualTo(200);
        // force-unlock does not fence: with nobody holding the lock, the old ID writes again
        assertThat(write("fu", state(1).json(), "apply-1").status()).isEqualTo(200);
        Response nothing = delete("/states/fu/lock", admin);
        assertThat(nothing.json().path("released").asBoolean()).isFalse();
        assertThat(audit("lock.force-unlock")).hasSize(1);
    }

    @Test
    void autoExpiryIsOffByDefaultSoAnIdleLockKeepsHoldingAndItsHolderStillWrites() {
        written("idle", state(1).json());
        assertThat(lock("idle", "apply-1", writer).status()).isEqualTo(200);
        clock.advance(Duration.ofDays(2));

        Response other = lock("idle", "apply-2", writer);
        assertThat(other.status()).isEqualTo(423);
        assertThat(other.json().path("ID").asText()).isEqualTo("apply-1");
        assertThat(write("idle", state(2).json(), "apply-1").status()).isEqualTo(200);
        assertThat(audit("lock.expired")).isEmpty();
    }

    @Test
    void anExpiredHoldersLaterWriteIsRefusedWith423AfterAnotherLockTookOver() {
        settings("{\"lockAutoExpireMinutes\":30}");
        written("exp", state(1).json());
        assertThat(lock("exp", "slow-apply", writer).status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(20));
        assertThat(lock("exp", "eager", writer).status()).isEqualTo(423); // not idle long enough
        clock.advance(Duration.ofMinutes(11));
        assertThat(lock("exp", "eager", writer).status()).isEqualTo(200);
        assertThat(audit("lock.expired")).singleElement().satisfies(e -> assertThat(
                        e.path("detail").path("lockId").asText())
                .isEqualTo("slow-apply"));

        Response fenced = write("exp", state(2).json(), "slow-apply");
        assertThat(fenced.status()).isEqualTo(423);
        assertThat(versionNumbers("exp")).containsExactly(1L);
        assertThat(write("exp", state(2).json(), "eager").status()).isEqualTo(200);
    }

    @Test
    void anExpiredHoldersLaterWriteIsFencedEvenWhenNobodyElseLocked() {
        settings("{\"lockAutoExpireMinutes\":30}");
        written("fence", state(1).json());
        assertThat(lock("fence", "slow-apply", writer).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(10));
        assertThat(write("fence", state(2).json(), "slow-apply").status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(31));
        Response fenced = write("fence", state(3).json(), "slow-apply");
        assertThat(fenced.status()).isEqualTo(423);
        // the body names the expired lock, as Terraform shows it
        assertThat(fenced.json().path("ID").asText()).isEqualTo("slow-apply");
        assertThat(versionNumbers("fence")).containsExactly(2L, 1L);
        assertThat(getJson("/states/fence/lock").path("locked").asBoolean()).isFalse();
        // and it stays fenced: the next try is refused too, a fresh lock works
        assertThat(write("fence", state(3).json(), "slow-apply").status()).isEqualTo(423);
        assertThat(lock("fence", "next-apply", writer).status()).isEqualTo(200);
        assertThat(write("fence", state(3).json(), "next-apply").status()).isEqualTo(200);
    }
}
