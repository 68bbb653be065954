package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.NotFoundException;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UploadGrant;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * States created empty (a TFE client's new workspace) and the upload grants of a TFE client's upload
 * URLs: redeemed once, never after they expire, gone with their state. A group of {@link
 * MetadataStoreContract}.
 */
public abstract class UploadGrantContract extends MetadataStoreContractGroup {
    static UploadGrant grant(String hash, StateKey key, Instant expires) {
        return new UploadGrant(
                hash,
                key,
                UploadGrant.Kind.STATE,
                7,
                "lineage-1",
                "0123456789abcdef0123456789abcdef",
                "tfe-lock",
                "token:ab12",
                List.of("deploy-main"),
                ms(at(0)),
                ms(expires),
                null);
    }

    @Test
    void createStateMakesAnEmptyUnlockedStateOnce() {
        StateKey key = state("new-workspace");
        assertThat(store.createState(key, at(5))).isTrue();
        assertThat(store.createState(key, at(6))).as("a second create finds it").isFalse();
        var state = store.findState(key).orElseThrow();
        assertThat(state.head()).isNull();
        assertThat(state.locked()).isFalse();
        assertThat(state.createdAt()).isEqualTo(ms(at(5)));
        assertThat(store.listStates(PROJECT)).extracting(s -> s.key().name()).containsExactly("new-workspace");
        assertThatThrownBy(() -> store.createState(new StateKey("nope", "s"), at(1)))
                .isInstanceOf(ProjectNotFoundException.class);
    }

    @Test
    void aGrantIsRedeemedOnceWithEveryFieldAsStored() {
        StateKey key = state("s");
        store.createState(key, at(0));
        UploadGrant grant = grant("a".repeat(64), key, at(60_000));
        store.access().createUploadGrant(grant);

        Optional<UploadGrant> redeemed = store.access().redeemUploadGrant(grant.idHash(), at(1_000));
        assertThat(redeemed).isPresent();
        assertThat(redeemed.get()).isEqualTo(grant.usedAt(ms(at(1_000))));
        assertThat(redeemed.get().createdAt()).isEqualTo(ms(at(0)));
        assertThat(redeemed.get().trustPolicies()).containsExactly("deploy-main");
        assertThat(store.access().redeemUploadGrant(grant.idHash(), at(2_000)))
                .as("a replay")
                .isEmpty();
        assertThat(store.access().redeemUploadGrant("b".repeat(64), at(2_000))).isEmpty();
        assertThatThrownBy(() -> store.access().createUploadGrant(grant)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGrantGivenBackAfterAFailureIsRedeemedAgainOnce() {
        StateKey key = state("s");
        store.createState(key, at(0));
        store.access().createUploadGrant(grant("9".repeat(64), key, at(60_000)));
        UploadGrant used =
                store.access().redeemUploadGrant("9".repeat(64), at(1_000)).orElseThrow();
        assertThat(store.access().releaseUploadGrant("9".repeat(64), at(5_000)))
                .as("another use's time")
                .isFalse();
        assertThat(store.access().releaseUploadGrant("9".repeat(64), used.usedAt()))
                .isTrue();
        assertThat(store.access().releaseUploadGrant("9".repeat(64), used.usedAt()))
                .as("already back")
                .isFalse();
        assertThat(store.access().redeemUploadGrant("9".repeat(64), at(2_000))).isPresent();
        assertThat(store.access().redeemUploadGrant("9".repeat(64), at(3_000))).isEmpty();
    }

    @Test
    void anExpiredGrantIsNeverRedeemedAndIsPruned() {
        StateKey key = state("s");
        store.createState(key, at(0));
        store.access().createUploadGrant(grant("c".repeat(64), key, at(60_000)));
        assertThat(store.access().redeemUploadGrant("c".repeat(64), at(60_000))).isEmpty();
        store.access().createUploadGrant(grant("d".repeat(64), key, at(120_000)));
        assertThat(store.access().deleteExpiredUploadGrants(at(90_000))).isEqualTo(1);
        assertThat(store.access().redeemUploadGrant("d".repeat(64), at(100_000)))
                .isPresent();
    }

    @Test
    void aGrantNeedsItsStateAndGoesWithIt() {
        StateKey key = state("s");
        assertThatThrownBy(() -> store.access().createUploadGrant(grant("e".repeat(64), key, at(60_000))))
                .isInstanceOf(NotFoundException.class);
        store.createState(key, at(0));
        store.access().createUploadGrant(grant("e".repeat(64), key, at(60_000)));
        store.deleteState(key, null);
        assertThat(store.access().redeemUploadGrant("e".repeat(64), at(1_000))).isEmpty();
        // a state made again under the same name does not inherit it
        store.createState(key, at(2_000));
        assertThat(store.access().redeemUploadGrant("e".repeat(64), at(3_000))).isEmpty();
    }

    @Test
    void racingRedemptionsGiveTheGrantToExactlyOne() throws Exception {
        StateKey key = state("s");
        store.createState(key, at(0));
        store.access().createUploadGrant(grant("f".repeat(64), key, at(60_000)));
        AtomicInteger winners = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(pool.submit(() -> {
                    if (store.access()
                            .redeemUploadGrant("f".repeat(64), at(1_000))
                            .isPresent()) {
                        winners.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(winners.get()).isEqualTo(1);
    }
}
