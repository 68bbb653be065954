package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.audit.AuditEvent;
import dev.statefort.core.audit.AuditQuery;
import dev.statefort.core.project.ProjectNotFoundException;
import dev.statefort.core.state.StateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Settings documents and the audit log. Part of {@link MetadataStoreContract}. */
public abstract class MetadataStoreAuditContract extends MetadataStoreQuarantineContract {

    // ---- settings -------------------------------------------------------------------------

    @Test
    void projectSettingsAreEmptyUntilSavedAndLastWriteWins() {
        store.createProject(PROJECT, T0);
        store.createProject("q", T0);
        assertThat(store.findProjectSettings(PROJECT)).isEmpty();
        store.saveProjectSettings(PROJECT, "{\"retention\":{\"keepVersions\":5}}", at(1));
        assertThat(store.findProjectSettings(PROJECT)).contains("{\"retention\":{\"keepVersions\":5}}");
        String unicode = "{\"note\":\"ünïcode ✓ \\\"quoted\\\"\"}";
        store.saveProjectSettings(PROJECT, unicode, at(2));
        assertThat(store.findProjectSettings(PROJECT)).contains(unicode);
        assertThat(store.findProjectSettings("q")).isEmpty();
        assertThat(store.findProjectSettings("nope")).isEmpty();
    }

    @Test
    void saveProjectSettingsOfMissingProjectThrows() {
        assertThatThrownBy(() -> store.saveProjectSettings("nope", "{}", T0))
                .isInstanceOf(ProjectNotFoundException.class);
        assertThat(store.findProjectSettings("nope")).isEmpty();
    }

    @Test
    void stateSettingsCreateTheStateRowAndLastWriteWins() {
        StateKey key = state("s");
        assertThat(store.findStateSettings(key)).isEmpty();
        store.saveStateSettings(key, "{\"permit\":\"destroy\"}", at(1));
        assertThat(store.findState(key)).isPresent();
        assertThat(store.findState(key).orElseThrow().head()).isNull();
        assertThat(store.findStateSettings(key)).contains("{\"permit\":\"destroy\"}");
        store.saveStateSettings(key, "{}", at(2));
        assertThat(store.findStateSettings(key)).contains("{}");
        assertThat(store.findStateSettings(state("other"))).isEmpty();
        assertThat(store.findProjectSettings(PROJECT)).isEmpty();
        assertThat(commit(key, "k1", at(3), null).number()).isEqualTo(1);
    }

    @Test
    void saveStateSettingsOfMissingProjectThrowsAndCreatesNothing() {
        StateKey key = new StateKey("nope", "s");
        assertThatThrownBy(() -> store.saveStateSettings(key, "{}", T0)).isInstanceOf(ProjectNotFoundException.class);
        assertThat(store.findState(key)).isEmpty();
        assertThat(store.findStateSettings(key)).isEmpty();
    }

    @Test
    void deleteStateRemovesItsSettings() {
        StateKey key = state("s");
        StateKey other = state("other");
        commitMany(key, 1);
        store.saveStateSettings(key, "{\"a\":1}", at(1));
        store.saveStateSettings(other, "{\"b\":2}", at(1));
        store.deleteState(key, null);
        assertThat(store.findStateSettings(key)).isEmpty();
        commit(key, "again", at(2), null);
        assertThat(store.findStateSettings(key)).isEmpty();
        assertThat(store.findStateSettings(other)).contains("{\"b\":2}");
    }

    // ---- audit ----------------------------------------------------------------------------

    private static AuditEvent event(Instant at, String action, String project, String state) {
        return new AuditEvent(null, at, "admin", action, project, state, "{\"n\":1}");
    }

    private static AuditQuery all(int limit) {
        return new AuditQuery(null, null, null, limit, null);
    }

    @Test
    void appendAuditAssignsAnIdAndStoresAllFieldsAtMillisecondPrecision() {
        AuditEvent given = new AuditEvent("ignored", at(5), "tok_1", "state.restore", "p", "s", "{\"version\":3}");
        AuditEvent stored = store.appendAudit(given);
        assertThat(stored.id()).isNotBlank().isNotEqualTo("ignored");
        assertThat(stored)
                .isEqualTo(
                        new AuditEvent(stored.id(), ms(at(5)), "tok_1", "state.restore", "p", "s", "{\"version\":3}"));
        assertThat(store.listAudit(all(10))).containsExactly(stored);

        AuditEvent global = store.appendAudit(new AuditEvent(null, at(6), null, "token.create", null, null, null));
        assertThat(global.project()).isNull();
        assertThat(store.listAudit(all(10))).containsExactly(global, stored);
    }

    @Test
    void eventsAtTheSameTimeGetDistinctIds() {
        HashSet<String> ids = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            ids.add(store.appendAudit(event(T0, "a", "p", null)).id());
        }
        assertThat(ids).hasSize(5);
        assertThat(store.listAudit(all(10))).hasSize(5);
        assertThat(store.listAudit(all(10))).extracting(AuditEvent::id).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void listAuditIsNewestFirstByTimeWhateverTheAppendOrder() {
        AuditEvent middle = store.appendAudit(event(at(2_000), "a", "p", null));
        AuditEvent newest = store.appendAudit(event(at(3_000), "a", "p", null));
        AuditEvent oldest = store.appendAudit(event(at(1_000), "a", "p", null));
        assertThat(store.listAudit(all(10))).containsExactly(newest, middle, oldest);
        assertThat(store.listAudit(new AuditQuery(null, null, null, 10, newest.id())))
                .containsExactly(middle, oldest);
        assertThat(store.listAudit(new AuditQuery(null, null, null, 10, oldest.id())))
                .isEmpty();
    }

    /** 25 events one second apart: projects p/q alternate, states s0..s2, actions a/b/c. */
    private List<AuditEvent> append25() {
        List<AuditEvent> appended = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            appended.add(store.appendAudit(
                    event(at(i * 1_000L), "action." + "abc".charAt(i % 3), i % 2 == 0 ? "p" : "q", "s" + (i % 3))));
        }
        return appended.reversed();
    }

    /** Walks every page of a query with keyset paging; bounded to 10 pages. */
    private List<List<AuditEvent>> pages(Function<String, AuditQuery> queryBefore) {
        List<List<AuditEvent>> pages = new ArrayList<>();
        String before = null;
        for (int i = 0; i < 10; i++) {
            List<AuditEvent> page = store.listAudit(queryBefore.apply(before));
            if (page.isEmpty()) {
                break;
            }
            pages.add(page);
            before = page.getLast().id();
        }
        return pages;
    }

    @Test
    void listAuditPagesOverTwentyFiveEventsWithLimitTen() {
        List<AuditEvent> newestFirst = append25();
        List<List<AuditEvent>> pages = pages(before -> new AuditQuery(null, null, null, 10, before));
        assertThat(pages).extracting(List::size).containsExactly(10, 10, 5);
        assertThat(pages.stream().flatMap(List::stream).toList()).isEqualTo(newestFirst);
    }

    @Test
    void listAuditFiltersByProjectStateAndActionWhilePaging() {
        List<AuditEvent> newestFirst = append25();

        List<List<AuditEvent>> byProject = pages(before -> new AuditQuery("p", null, null, 10, before));
        assertThat(byProject).extracting(List::size).containsExactly(10, 3);
        assertThat(byProject.stream().flatMap(List::stream).toList())
                .isEqualTo(newestFirst.stream()
                        .filter(e -> e.project().equals("p"))
                        .toList());

        List<List<AuditEvent>> byAction = pages(before -> new AuditQuery(null, null, "action.a", 4, before));
        assertThat(byAction).extracting(List::size).containsExactly(4, 4, 1);
        assertThat(byAction.stream().flatMap(List::stream).toList())
                .isEqualTo(newestFirst.stream()
                        .filter(e -> e.action().equals("action.a"))
                        .toList());

        List<AuditEvent> combined = store.listAudit(new AuditQuery("q", "s1", "action.b", 10, null));
        assertThat(combined)
                .isEqualTo(newestFirst.stream()
                        .filter(e -> e.project().equals("q"))
                        .filter(e -> e.state().equals("s1"))
                        .filter(e -> e.action().equals("action.b"))
                        .toList());
        assertThat(combined).isNotEmpty();

        assertThat(store.listAudit(new AuditQuery(null, "s2", null, 100, null)))
                .hasSize(8)
                .allMatch(e -> e.state().equals("s2"));
        assertThat(store.listAudit(new AuditQuery("nope", null, null, 10, null)))
                .isEmpty();
    }

    @Test
    void auditEventsOutliveTheStateTheyDescribe() {
        StateKey key = state("s");
        commitMany(key, 1);
        AuditEvent e = store.appendAudit(event(at(1), "state.delete", PROJECT, "s"));
        store.deleteState(key, null);
        assertThat(store.listAudit(new AuditQuery(PROJECT, "s", null, 10, null)))
                .containsExactly(e);
    }
}
