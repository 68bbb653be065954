package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.TrustPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Trust policies (issue 28): stored per project with unique names, found, listed by name, deleted;
 * and the credential a lock is bound to, kept with the lock and gone with it. A group of {@link
 * MetadataStoreContract}.
 */
public abstract class TrustPolicyContract extends MetadataStoreContractGroup {
    private static TrustPolicy policy(String id, String project, String name) {
        return new TrustPolicy(
                id,
                project,
                name,
                "github",
                Map.of("repository", "acme/infra", "ref", "refs/heads/*"),
                Permission.WRITE,
                "prod-*",
                "user:alice",
                T0);
    }

    @Test
    void aPolicyIsStoredFoundListedByNameAndDeleted() {
        state("s"); // the project
        assertThat(access().createTrustPolicy(policy("id-b", PROJECT, "b-policy")))
                .isTrue();
        assertThat(access().createTrustPolicy(policy("id-a", PROJECT, "a-policy")))
                .isTrue();

        TrustPolicy found = access().findTrustPolicy(PROJECT, "id-b").orElseThrow();
        assertThat(found).isEqualTo(policy("id-b", PROJECT, "b-policy").withMillis());
        assertThat(access().listTrustPolicies(PROJECT))
                .extracting(TrustPolicy::name)
                .containsExactly("a-policy", "b-policy");
        assertThat(access().findTrustPolicy("other-project", "id-b")).isEmpty();

        assertThat(access().deleteTrustPolicy(PROJECT, "id-b")).isTrue();
        assertThat(access().deleteTrustPolicy(PROJECT, "id-b")).isFalse();
        assertThat(access().findTrustPolicy(PROJECT, "id-b")).isEmpty();
    }

    @Test
    void aNameIsUniqueInItsProjectAndAPolicyNeedsItsProject() {
        state("s");
        assertThat(access().createTrustPolicy(policy("id-1", PROJECT, "deploy")))
                .isTrue();
        assertThat(access().createTrustPolicy(policy("id-2", PROJECT, "deploy")))
                .isFalse();
        assertThatThrownBy(() -> access().createTrustPolicy(policy("id-1", PROJECT, "other")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> access().createTrustPolicy(policy("id-3", "no-such-project", "deploy")))
                .isInstanceOf(ProjectNotFoundException.class);
        assertThat(access().listTrustPolicies("no-such-project")).isEmpty();
    }

    @Test
    void aLocksCredentialIsKeptWithItAndGoneWithIt() {
        StateKey key = state("s");
        LockRequest bound = new LockRequest(lockInfo("L1", "OperationTypeApply"), "oidc:ci:sub", T0, null, "jwt:abc");
        LockResult result = store.tryLock(key, bound);
        assertThat(result).isInstanceOf(LockResult.Acquired.class);
        assertThat(store.findLock(key).map(LockRecord::credential)).contains("jwt:abc");

        store.tryLock(key, new LockRequest(lockInfo("L1", "OperationTypeApply"), "oidc:ci:sub", at(1_000)));
        assertThat(store.findLock(key).map(LockRecord::credential))
                .as("a LOCK again under the same ID keeps the binding")
                .contains("jwt:abc");

        store.unlock(key, "L1");
        store.tryLock(key, lockRequest("L2", at(2_000)));
        assertThat(store.findLock(key).map(LockRecord::credential)).isEmpty();
    }
}
