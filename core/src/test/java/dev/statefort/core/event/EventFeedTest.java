package dev.statefort.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.core.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventFeedTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
    private final AuditService audit = new AuditService(metadata, clock);
    private final EventFeed feed = new EventFeed(metadata, new ProjectService(metadata, audit, clock, null), clock);
    private final Principal reader = new Principal("token:r", "p", Permission.READ);

    @BeforeEach
    void setUp() {
        metadata.createProject("p", clock.instant());
        metadata.createProject("q", clock.instant());
    }

    private AuditEvent lock(String project, String state) {
        clock.advance(Duration.ofMillis(5));
        return audit.record(reader, AuditAction.LOCK_ACQUIRE, project, state, Map.of("lockId", "L"));
    }

    private static List<String> ids(List<EventFeed.Event> events) {
        return events.stream().map(e -> e.record().id()).toList();
    }

    @Test
    void aStreamSeesNewEventsOnceAndResumesAfterTheLastIdWithoutGaps() {
        AuditEvent before = lock("p", "net");
        clock.advance(Duration.ofMillis(1));
        EventFeed.Cursor live = feed.open(reader, "p", null);
        assertThat(live.next()).as("from now on").isEmpty();
        AuditEvent one = lock("p", "net");
        audit.record(reader, AuditAction.TOKEN_CREATE, "p", null, Map.of()); // not an event
        AuditEvent two = lock("p", "dns");
        lock("q", "net"); // another project
        assertThat(live.next()).extracting(EventFeed.Event::type).containsExactly("lock.acquired", "lock.acquired");
        assertThat(live.next()).as("nothing twice").isEmpty();

        AuditEvent three = lock("p", "net");
        EventFeed.Cursor resumed = feed.open(reader, "p", one.id());
        assertThat(ids(resumed.next())).containsExactly(two.id(), three.id());
        assertThat(ids(feed.open(reader, "p", before.id()).next())).containsExactly(one.id(), two.id(), three.id());
    }

    @Test
    void anEventCommittedLateWithAnEarlierIdIsStillSent() {
        EventFeed.Cursor live = feed.open(reader, "p", null);
        clock.advance(Duration.ofSeconds(1));
        Instant earlier = clock.instant();
        clock.advance(Duration.ofSeconds(2));
        AuditEvent later = lock("p", "net");
        assertThat(ids(live.next())).containsExactly(later.id());
        // another node, its clock 3 s behind, commits its event now
        AuditEvent late = metadata.appendAudit(
                new AuditEvent(null, earlier, "token:r", null, "lock.release", AuditEvent.OK, "p", "dns", null, "{}"));
        assertThat(late.id()).isLessThan(later.id());
        assertThat(ids(live.next())).containsExactly(late.id());
    }

    @Test
    void aBusyProjectIsReadAPageAtATimeWithoutGapsAndAResumeGoesBackADayAtMost() {
        AuditEvent ancient = lock("p", "net");
        clock.advance(Duration.ofHours(25));
        EventFeed.Cursor fromTheStart = feed.open(reader, "p", "0000000000000000");
        clock.advance(Duration.ofMillis(1));
        EventFeed.Cursor live = feed.open(reader, "p", null);
        java.util.List<String> made = new java.util.ArrayList<>();
        for (int i = 0; i < 450; i++) {
            made.add(lock("p", "s" + (i % 7)).id());
        }
        java.util.List<String> read = new java.util.ArrayList<>();
        int calls = 0;
        do {
            read.addAll(ids(live.next()));
            calls++;
        } while (live.behind() && calls < 10);
        assertThat(calls).as("one page per call").isEqualTo(3);
        assertThat(read).containsExactlyElementsOf(made);
        assertThat(live.next()).isEmpty();

        java.util.List<String> resumed = new java.util.ArrayList<>();
        do {
            resumed.addAll(ids(fromTheStart.next()));
        } while (fromTheStart.behind());
        assertThat(resumed)
                .as("a day back at most")
                .doesNotContain(ancient.id())
                .containsExactlyElementsOf(made);
    }

    @Test
    void onlyAProjectReaderAndNeverAnOutputsOrOneStateCredential() {
        Principal oneState = Principal.forState("alias:x", new StateKey("p", "net"), Permission.READ);
        assertThatThrownBy(() -> feed.open(oneState, "p", null)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> feed.open(new Principal("token:o", "p", Permission.OUTPUTS), "p", null))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> feed.open(reader, "q", null)).isInstanceOf(AccessDeniedException.class);
    }
}
