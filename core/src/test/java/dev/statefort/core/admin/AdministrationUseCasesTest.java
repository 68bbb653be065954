package dev.statefort.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.AliasService;
import dev.statefort.core.auth.PasswordAttempt;
import dev.statefort.core.auth.PasswordHasher;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.auth.TokenRequest;
import dev.statefort.core.auth.TokenService;
import dev.statefort.core.auth.UserService;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.model.Role;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.storage.StorageProfiles;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The administration use cases the REST API, the UI and the CLI share: each checks the actor's
 * permission before it changes anything, and each change writes its one audit event.
 */
class AdministrationUseCasesTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Principal ROOT = new Principal("cli:root", null, Permission.ADMIN);
    private static final Principal INFRA_ADMIN = new Principal("session:infra-admin", "infra", Permission.ADMIN);
    private static final Principal INFRA_WRITER = new Principal("session:infra-writer", "infra", Permission.WRITE);

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private InMemoryMetadataStore metadata;
    private AuditService audit;
    private UserService users;
    private MemberAdministration members;
    private UserAdministration userAdmin;
    private TokenAdministration tokens;
    private AliasAdministration aliases;
    private SettingsAdministration settings;

    @BeforeEach
    void setUp() {
        metadata = new InMemoryMetadataStore();
        metadata.createProject("infra", Instant.EPOCH);
        audit = new AuditService(metadata, clock);
        users = new UserService(metadata, PasswordHasher.withCost(8, 1, 1), clock);
        ProjectService projects = new ProjectService(
                metadata,
                audit,
                clock,
                StorageProfiles.single(ProjectRecord.LOCAL_STORAGE, "memory", "heap", new InMemoryBlobStore()));
        members = new MemberAdministration(users, audit);
        userAdmin = new UserAdministration(users, audit);
        TokenService tokenService = new TokenService(metadata, users, clock);
        tokens = new TokenAdministration(tokenService, projects, audit, clock);
        aliases = new AliasAdministration(
                new AliasService(metadata.access(), tokenService, users, clock), projects, audit, clock);
        settings = new SettingsAdministration(new SettingsService(metadata, clock), projects, audit);
    }

    @Test
    void everyAuditActionHasItsOwnDottedOrSingleWordName() {
        List<String> names =
                Arrays.stream(AuditAction.values()).map(AuditAction::wireName).toList();
        assertThat(names).doesNotHaveDuplicates().allMatch(n -> n.matches("[a-z]+(\\.[a-z-]+)*"));
        assertThat(AuditAction.STATE_WRITE.toString()).isEqualTo("state.write");
    }

    @Test
    void membersAreChangedByTheProjectsAdminsOnlyAndEachChangeIsAudited() {
        userAdmin.create(ROOT, "alice", null, false);

        assertThatThrownBy(() -> members.put(INFRA_WRITER, "infra", "alice", Role.WRITER))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(users.members("infra")).isEmpty();
        assertThat(actions()).doesNotContain("member.put");

        members.put(INFRA_ADMIN, "infra", "alice", Role.WRITER);
        assertThat(members.members(INFRA_ADMIN, "infra")).singleElement().satisfies(m -> {
            assertThat(m.user()).isEqualTo("alice");
            assertThat(m.role()).isEqualTo(Role.WRITER);
        });
        members.remove(INFRA_ADMIN, "infra", "alice");
        assertThatThrownBy(() -> members.remove(INFRA_ADMIN, "infra", "alice")).isInstanceOf(NotFoundException.class);

        AuditEvent put = event("member.put");
        assertThat(put.principal()).isEqualTo("session:infra-admin");
        assertThat(put.project()).isEqualTo("infra");
        assertThat(put.detail()).contains("\"user\":\"alice\"").contains("\"role\":\"writer\"");
        assertThat(actions()).containsExactly("user.create", "member.put", "member.remove");
    }

    @Test
    void usersAreManagedByGlobalAdminsAndChangeTheirOwnPasswordWithTheCurrentOne() {
        assertThatThrownBy(() -> userAdmin.create(INFRA_ADMIN, "bob", null, false))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("needs a global admin");
        assertThat(users.find("bob")).isEmpty();

        userAdmin.create(ROOT, "bob", "correct horse battery", false);
        Principal bob = users.principalOf(users.find("bob").orElseThrow());
        CountingAttempt wrong = new CountingAttempt();
        assertThatThrownBy(() -> userAdmin.setPassword(bob, "bob", "a new long password", "not it", wrong))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("current password is wrong");
        assertThat(wrong.outcomes).containsExactly("failed");
        assertThat(users.verify("bob", "correct horse battery")).isPresent();

        CountingAttempt right = new CountingAttempt();
        userAdmin.setPassword(bob, "bob", "a new long password", "correct horse battery", right);
        assertThat(right.outcomes).containsExactly("succeeded");
        assertThat(users.find("bob").orElseThrow().mustChangePassword()).isFalse();

        assertThatThrownBy(
                        () -> userAdmin.setPassword(bob, "root", "whatever it is now", "", PasswordAttempt.UNCOUNTED))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("another user's password needs a global admin");
        userAdmin.setPassword(ROOT, "bob", "set by the admin here", null, PasswordAttempt.UNCOUNTED);
        assertThat(users.find("bob").orElseThrow().mustChangePassword())
                .as("a password an admin sets is changed at the next login")
                .isTrue();
        userAdmin.delete(ROOT, "bob");

        assertThat(actions()).containsExactly("user.create", "user.password", "user.password", "user.delete");
    }

    @Test
    void tokensAreCreatedForExistingProjectsWithBoundedExpiryAndRevokedOnce() {
        assertThatThrownBy(() -> tokens.expiry(0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> tokens.expiry(3651)).isInstanceOf(InvalidInputException.class);
        assertThat(tokens.expiry(2)).isEqualTo(NOW.plus(Duration.ofDays(2)));
        assertThat(tokens.expiry(null)).isNull();

        assertThatThrownBy(() -> tokens.create(ROOT, new TokenRequest(null, "nope", null, Permission.READ, null, null)))
                .isInstanceOf(ProjectNotFoundException.class);
        assertThatThrownBy(() -> tokens.create(
                        new Principal("session:other-admin", "other", Permission.ADMIN),
                        new TokenRequest(null, "infra", null, Permission.READ, null, null)))
                .as("an outsider gets a 403, not a hint that the project exists")
                .isInstanceOf(AccessDeniedException.class);

        var issued = tokens.create(INFRA_ADMIN, new TokenRequest("ci", "infra", "net", Permission.READ, null, null));
        assertThat(tokens.visible(INFRA_ADMIN, "infra"))
                .extracting(t -> t.id())
                .contains(issued.record().id());
        tokens.revoke(INFRA_ADMIN, issued.record().id());
        assertThatThrownBy(() -> tokens.revoke(INFRA_ADMIN, issued.record().id()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("revoked already");

        AuditEvent created = event("token.create");
        assertThat(created.state()).isEqualTo("net");
        assertThat(created.detail()).contains("\"owner\":\"project:infra\"");
        assertThat(event("token.revoke").project()).isEqualTo("infra");
    }

    @Test
    void aliasesAndSettingsNeedTheProjectsAdminAndAreAudited() {
        assertThatThrownBy(() -> aliases.create(INFRA_WRITER, "infra", "net", Permission.WRITE))
                .isInstanceOf(AccessDeniedException.class);
        var alias = aliases.create(INFRA_ADMIN, "infra", "net", Permission.WRITE);
        aliases.rotate(INFRA_ADMIN, "infra", alias.alias().id());
        assertThatThrownBy(
                        () -> aliases.revoke(INFRA_ADMIN, "other", alias.alias().id()))
                .isInstanceOf(AccessDeniedException.class);
        aliases.revoke(INFRA_ADMIN, "infra", alias.alias().id());

        assertThat(settings.settings(INFRA_WRITER, "infra").keepVersions()).isNotEqualTo(5);
        assertThatThrownBy(() -> settings.patch(INFRA_WRITER, "infra", "{\"keepVersions\": 5}"))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(settings.patch(INFRA_ADMIN, "infra", "{\"keepVersions\": 5}").keepVersions())
                .isEqualTo(5);

        assertThat(actions()).containsExactly("alias.create", "alias.rotate", "alias.revoke", "project.settings");
    }

    @Test
    void theAuditLogOfEveryProjectIsForGlobalAdminsAndAProjectsForItsAdmins() {
        members.members(INFRA_ADMIN, "infra");
        AuditQuery all = new AuditQuery(null, null, null, null, null, null, 10, null);
        AuditQuery infra = new AuditQuery("infra", null, null, null, null, null, 10, null);
        assertThatThrownBy(() -> audit.read(INFRA_ADMIN, all)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> audit.read(INFRA_WRITER, infra)).isInstanceOf(AccessDeniedException.class);
        assertThat(audit.read(INFRA_ADMIN, infra)).isEmpty();
        assertThat(audit.read(ROOT, all)).isEmpty();
    }

    private List<String> actions() {
        return audit.list(new AuditQuery(null, null, null, null, null, null, 100, null)).reversed().stream()
                .map(AuditEvent::action)
                .toList();
    }

    private AuditEvent event(String action) {
        return audit.list(new AuditQuery(null, null, null, action, null, null, 100, null))
                .getFirst();
    }

    private static final class CountingAttempt implements PasswordAttempt {
        final List<String> outcomes = new ArrayList<>();

        @Override
        public void succeeded() {
            outcomes.add("succeeded");
        }

        @Override
        public void failed() {
            outcomes.add("failed");
        }

        @Override
        public void notChecked() {
            outcomes.add("notChecked");
        }
    }
}
