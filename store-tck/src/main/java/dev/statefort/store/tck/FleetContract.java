package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.ConsumerRead;
import dev.statefort.core.model.ConsumerRecord;
import dev.statefort.core.model.DeleteResult;
import dev.statefort.core.model.DuplicateObject;
import dev.statefort.core.model.FleetState;
import dev.statefort.core.model.IndexedInstance;
import dev.statefort.core.model.ReadScope;
import dev.statefort.core.model.SearchHit;
import dev.statefort.core.model.SearchQuery;
import dev.statefort.core.model.StateIndex;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionCommit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fleet: the search index (replaced only for a state's current version, searched by term
 * prefix within a scope), objects managed by two states, outputs readers and the overview. A group
 * of {@link MetadataStoreContract}.
 */
public abstract class FleetContract extends MetadataStoreContractGroup {

    private long commit(StateKey key, String blob, long atMillis) {
        CommitResult r = store.commitVersion(VersionCommit.of(key, newVersion(blob, at(atMillis)), null));
        return ((CommitResult.Committed) r).version().number();
    }

    private static IndexedInstance bucket(String name, String id) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("arn", "arn:aws:s3:::" + id);
        return new IndexedInstance(
                "aws_s3_bucket." + name,
                "aws_s3_bucket",
                "provider[\"registry.terraform.io/hashicorp/aws\"]",
                "managed",
                "",
                fields,
                "aws_s3_bucket arn=arn:aws:s3:::" + id);
    }

    private static IndexedInstance subnet(String module, String name, String id) {
        return new IndexedInstance(
                module + ".aws_subnet." + name,
                "aws_subnet",
                "",
                "managed",
                module,
                Map.of("id", id),
                "aws_subnet id=" + id);
    }

    private StateIndex indexed(StateKey key, long version, IndexedInstance... instances) {
        return new StateIndex(key, version, StateIndex.Status.INDEXED, List.of(instances));
    }

    private List<SearchHit> search(String text, ReadScope scope) {
        return store.search(new SearchQuery(text, null, scope, 50));
    }

    @Test
    void theIndexIsReplacedOnlyForTheCurrentVersionAndOnce() {
        StateKey key = state("net");
        long v1 = commit(key, "b1", 1);
        assertThat(store.findUnindexed(10)).containsExactly(key);
        assertThat(store.replaceIndex(indexed(key, v1, bucket("logs", "acme-logs"))))
                .isTrue();
        assertThat(store.replaceIndex(indexed(key, v1, bucket("logs", "acme-logs"))))
                .isFalse();
        assertThat(store.findUnindexed(10)).isEmpty();

        long v2 = commit(key, "b2", 2);
        assertThat(store.findUnindexed(10)).containsExactly(key);
        assertThat(store.replaceIndex(indexed(key, v1, bucket("old", "old-one"))))
                .as("a version no longer current is never indexed")
                .isFalse();
        assertThat(store.replaceIndex(indexed(key, v2, bucket("data", "acme-data"))))
                .isTrue();
        assertThat(search("acme", ReadScope.ALL)).extracting(SearchHit::address).containsExactly("aws_s3_bucket.data");
        assertThat(search("acme", ReadScope.ALL).get(0).version()).isEqualTo(v2);
        assertThat(store.replaceIndex(
                        new StateIndex(new StateKey(PROJECT, "missing"), 1, StateIndex.Status.INDEXED, List.of())))
                .isFalse();
    }

    @Test
    void aSearchMatchesTermPrefixesExactOnesFirstOnceEachWithTheField() {
        StateKey key = state("net");
        long v = commit(key, "b1", 1);
        store.replaceIndex(indexed(
                key,
                v,
                bucket("logs", "acme-logs"),
                bucket("acme", "zz-other"),
                subnet("module.vpc", "private", "subnet-0abc")));

        List<SearchHit> hits = search("acme", ReadScope.ALL);
        assertThat(hits).extracting(SearchHit::address).containsExactly("aws_s3_bucket.acme", "aws_s3_bucket.logs");
        assertThat(hits.get(0).field()).isEqualTo("address"); // the name "acme" exactly
        assertThat(hits.get(1).field()).isEqualTo("id");
        assertThat(hits.get(1).value()).isEqualTo("acme-logs");

        assertThat(search("aws_subnet.priv", ReadScope.ALL))
                .as("the address without its module path")
                .extracting(SearchHit::address)
                .containsExactly("module.vpc.aws_subnet.private");
        assertThat(search("module.vpc", ReadScope.ALL)).hasSize(1);
        assertThat(search("subnet-0a", ReadScope.ALL))
                .extracting(SearchHit::field)
                .containsExactly("id");
        assertThat(search("zz-other", ReadScope.ALL))
                .as("what follows an ARN's last colon")
                .extracting(SearchHit::field)
                .containsExactly("id");
        assertThat(search("arn:aws:s3:::zz", ReadScope.ALL))
                .extracting(SearchHit::field)
                .containsExactly("arn");
        assertThat(search("cme", ReadScope.ALL)).as("prefixes, not substrings").isEmpty();

        assertThat(store.search(new SearchQuery("", "aws_subnet", ReadScope.ALL, 50)))
                .extracting(SearchHit::address)
                .containsExactly("module.vpc.aws_subnet.private");
        assertThat(store.search(new SearchQuery("acme", "aws_subnet", ReadScope.ALL, 50)))
                .isEmpty();
        assertThat(store.search(new SearchQuery("aws", null, ReadScope.ALL, 2))).hasSize(2);
    }

    @Test
    void aSearchSeesOnlyTheStatesOfItsScope() {
        StateKey mine = state("net");
        store.createProject("other", T0);
        StateKey theirs = new StateKey("other", "net");
        StateKey second = state("second");
        store.replaceIndex(indexed(mine, commit(mine, "b1", 1), bucket("a", "acme-a")));
        store.replaceIndex(indexed(theirs, commit(theirs, "b2", 2), bucket("b", "acme-b")));
        store.replaceIndex(indexed(second, commit(second, "b3", 3), bucket("c", "acme-c")));

        assertThat(search("acme", ReadScope.ALL)).hasSize(3);
        assertThat(search("acme", ReadScope.projects(Set.of(PROJECT))))
                .extracting(h -> h.key())
                .containsExactlyInAnyOrder(mine, second);
        assertThat(search("acme", ReadScope.projects(Set.of("other"))))
                .extracting(SearchHit::address)
                .containsExactly("aws_s3_bucket.b");
        assertThat(search("acme", ReadScope.state(second)))
                .extracting(SearchHit::key)
                .containsExactly(second);
        assertThat(store.findDuplicates(ReadScope.state(second), 10)).isEmpty();
    }

    @Test
    void anObjectManagedByTwoStatesIsADuplicateWithinTheScope() {
        StateKey a = state("a");
        StateKey b = state("b");
        store.createProject("other", T0);
        StateKey c = new StateKey("other", "c");
        store.replaceIndex(indexed(a, commit(a, "b1", 1), bucket("logs", "shared"), bucket("own", "only-a")));
        store.replaceIndex(indexed(b, commit(b, "b2", 2), bucket("imported", "shared")));
        store.replaceIndex(indexed(c, commit(c, "b3", 3), bucket("x", "only-a")));

        List<DuplicateObject> all = store.findDuplicates(ReadScope.ALL, 10);
        assertThat(all)
                .extracting(DuplicateObject::key)
                .containsExactly("arn=arn:aws:s3:::only-a", "arn=arn:aws:s3:::shared");
        DuplicateObject shared = all.get(1);
        assertThat(shared.type()).isEqualTo("aws_s3_bucket");
        assertThat(shared.owners())
                .containsExactly(
                        new DuplicateObject.Owner(a, "aws_s3_bucket.logs"),
                        new DuplicateObject.Owner(b, "aws_s3_bucket.imported"));
        assertThat(store.findDuplicates(ReadScope.projects(Set.of(PROJECT)), 10))
                .as("a state outside the scope neither shows nor counts")
                .extracting(DuplicateObject::key)
                .containsExactly("arn=arn:aws:s3:::shared");
        assertThat(store.findDuplicates(ReadScope.ALL, 1)).hasSize(1);
    }

    @Test
    void aDeletedStateLeavesNothingInTheIndexOrItsReaders() {
        StateKey key = state("gone");
        store.replaceIndex(indexed(key, commit(key, "b1", 1), bucket("logs", "acme-logs")));
        store.addConsumerReads(List.of(new ConsumerRead(key, "token:r", "outputs-token", at(5), at(5), 1)));
        assertThat(store.deleteState(key, null)).isInstanceOf(DeleteResult.Deleted.class);
        assertThat(search("acme", ReadScope.ALL)).isEmpty();
        assertThat(store.listConsumers(key)).isEmpty();
        assertThat(store.findUnindexed(10)).isEmpty();
    }

    @Test
    void outputsReadsAddUpPerReader() {
        StateKey key = state("net");
        commit(key, "b1", 1);
        store.addConsumerReads(List.of(
                new ConsumerRead(key, "token:r1", "outputs-token", at(10), at(20), 3),
                new ConsumerRead(key, "alias:x", "alias", at(15), at(15), 1),
                new ConsumerRead(new StateKey(PROJECT, "missing"), "token:r1", "outputs-token", at(1), at(1), 1)));
        store.addConsumerReads(List.of(new ConsumerRead(key, "token:r1", "tfe-outputs", at(5), at(30), 2)));
        List<ConsumerRecord> readers = store.listConsumers(key);
        assertThat(readers).extracting(ConsumerRecord::reader).containsExactly("token:r1", "alias:x");
        ConsumerRecord r1 = readers.get(0);
        assertThat(r1.reads()).isEqualTo(5);
        assertThat(r1.firstSeen()).isEqualTo(ms(at(5)));
        assertThat(r1.lastSeen()).isEqualTo(ms(at(30)));
        assertThat(r1.via()).isEqualTo("tfe-outputs");
        assertThat(store.listConsumers(new StateKey(PROJECT, "missing"))).isEmpty();
    }

    @Test
    void theOverviewListsEveryStateOfTheScopeWithItsCounts() {
        StateKey busy = state("busy");
        StateKey idle = state("idle");
        store.createProject("other", T0);
        StateKey hidden = new StateKey("other", "hidden");
        commit(busy, "b1", 1);
        commit(busy, "b2", 100);
        long v3 = commit(busy, "b3", 200);
        store.createState(idle, T0);
        commit(hidden, "b9", 1);
        store.replaceIndex(indexed(busy, v3, bucket("logs", "x")));
        lock(busy, "lock-1", at(300));
        store.appendAudit(new AuditEvent(
                null,
                at(10),
                "token:t",
                null,
                AuditAction.STATE_WRITE_REFUSED.wireName(),
                AuditEvent.OK,
                PROJECT,
                "busy",
                null,
                "{}"));
        store.appendAudit(new AuditEvent(
                null,
                at(250),
                "token:t",
                null,
                AuditAction.STATE_WRITE_REFUSED.wireName(),
                AuditEvent.OK,
                PROJECT,
                "busy",
                null,
                "{}"));

        List<FleetState> fleet = store.listFleetStates(ReadScope.projects(Set.of(PROJECT)), at(50));
        assertThat(fleet).extracting(FleetState::key).containsExactly(busy, idle);
        FleetState b = fleet.get(0);
        assertThat(b.version()).isEqualTo(v3);
        assertThat(b.size()).isEqualTo(1234L);
        assertThat(b.lastWriteAt()).isEqualTo(ms(at(200)));
        assertThat(b.recentWrites()).as("versions since the time asked").isEqualTo(2);
        assertThat(b.guardRefusals()).isEqualTo(1);
        assertThat(b.lockHolder()).isEqualTo("principal-lock-1");
        assertThat(b.lockedSince()).isEqualTo(ms(at(300)));
        assertThat(b.index()).isEqualTo("indexed");
        FleetState i = fleet.get(1);
        assertThat(i.version()).isZero();
        assertThat(i.lastWriteAt()).isNull();
        assertThat(i.lockHolder()).isNull();
        assertThat(i.index()).isEqualTo("empty");
        assertThat(store.listFleetStates(ReadScope.ALL, at(0))).hasSize(3);
        assertThat(store.listFleetStates(ReadScope.state(hidden), at(0)).get(0).index())
                .isEqualTo("pending");
    }
}
