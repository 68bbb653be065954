package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.model.DeletedUser;
import dev.statefort.core.model.MembershipRecord;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.Role;
import dev.statefort.core.model.TokenRecord;
import dev.statefort.core.model.UserRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Users and project memberships. A group of {@link MetadataStoreContract}. */
public abstract class UserContract extends MetadataStoreContractGroup {
    @Test
    void createdUserIsFoundWithAllFieldsAtMillisecondPrecision() {
        UserRecord admin = new UserRecord("id-admin", "admin", "$argon2id$a", true, false, at(1), at(2));
        UserRecord plain = user("alice", at(3));
        assertThat(access().createUser(admin)).isTrue();
        assertThat(access().createUser(plain)).isTrue();
        assertThat(access().findUser("admin"))
                .contains(new UserRecord("id-admin", "admin", "$argon2id$a", true, false, ms(at(1)), ms(at(2))));
        assertThat(access().findUser("alice")).contains(withMillis(plain));
        assertThat(access().findUser("alice").orElseThrow().passwordChangedAt()).isNull();
    }

    @Test
    void findUserIsEmptyForAnUnknownName() {
        createUser("alice");
        assertThat(access().findUser("bob")).isEmpty();
        assertThat(access().findUser("ALICE")).isEmpty();
    }

    @Test
    void createUserIsFalseWhenTheNameIsTaken() {
        UserRecord original = createUser("alice");
        UserRecord clash = new UserRecord("id-other", "alice", "$argon2id$other", true, false, at(9), at(9));
        assertThat(access().createUser(clash)).isFalse();
        assertThat(access().findUser("alice")).contains(original);
        assertThat(access().listUsers()).containsExactly(original);
    }

    @Test
    void createUserConcurrentlyWithTheSameNameHasExactlyOneWinner() throws Exception {
        List<Boolean> results = runConcurrently(8, i -> access().createUser(
                        new UserRecord("id-" + i, "alice", "$argon2id$" + i, false, false, at(i), null)));
        assertThat(results).filteredOn(created -> created).hasSize(1);
        int winner = results.indexOf(true);
        assertThat(access().findUser("alice").orElseThrow().passwordHash()).isEqualTo("$argon2id$" + winner);
        assertThat(access().listUsers()).hasSize(1);
    }

    @Test
    void listUsersIsOrderedByName() {
        for (String name : List.of("carol", "alice", "Bob", "bob.2", "bob")) {
            createUser(name);
        }
        assertThat(access().listUsers())
                .extracting(UserRecord::name)
                .containsExactly("Bob", "alice", "bob", "bob.2", "carol");
    }

    @Test
    void setPasswordReplacesHashAndFlagAndSetsPasswordChangedAt() {
        UserRecord before = createUser("alice");
        createUser("bob");
        assertThat(access().setPassword("alice", "$argon2id$new", false, at(60_000)))
                .isTrue();
        assertThat(access().findUser("alice"))
                .contains(new UserRecord(
                        before.id(),
                        "alice",
                        "$argon2id$new",
                        before.globalAdmin(),
                        false,
                        before.createdAt(),
                        ms(at(60_000))));
        assertThat(access().setPassword("alice", "$argon2id$reset", true, at(70_000)))
                .isTrue();
        UserRecord reset = access().findUser("alice").orElseThrow();
        assertThat(reset.mustChangePassword()).isTrue();
        assertThat(reset.passwordHash()).isEqualTo("$argon2id$reset");
        assertThat(reset.passwordChangedAt()).isEqualTo(ms(at(70_000)));
        assertThat(access().findUser("bob").orElseThrow().passwordHash())
                .isEqualTo(user("bob", T0).passwordHash());
    }

    @Test
    void setPasswordOfAMissingUserIsFalse() {
        assertThat(access().setPassword("nobody", "$argon2id$x", false, T0)).isFalse();
        assertThat(access().findUser("nobody")).isEmpty();
    }

    @Test
    void setGlobalAdminGrantsAndTakesTheRole() {
        UserRecord alice = createUser("alice");
        assertThat(access().setGlobalAdmin("alice", true)).isTrue();
        UserRecord admin = access().findUser("alice").orElseThrow();
        assertThat(admin.globalAdmin()).isTrue();
        assertThat(admin)
                .isEqualTo(new UserRecord(
                        alice.id(),
                        "alice",
                        alice.passwordHash(),
                        true,
                        alice.mustChangePassword(),
                        alice.createdAt(),
                        null));
        assertThat(access().setGlobalAdmin("alice", false)).isTrue();
        assertThat(access().findUser("alice")).contains(alice);
        assertThat(access().setGlobalAdmin("nobody", true)).isFalse();
        assertThat(access().findUser("nobody")).isEmpty();
    }

    @Test
    void deleteUserRemovesMembershipsAndSessions() {
        store.createProject("p", T0);
        store.createProject("q", T0);
        createUser("alice");
        UserRecord bob = createUser("bob");
        access().putMember(new MembershipRecord("p", "alice", Role.ADMIN, T0));
        access().putMember(new MembershipRecord("q", "alice", Role.VIEWER, T0));
        access().putMember(new MembershipRecord("p", "bob", Role.WRITER, T0));
        access().createSession(session("s-alice", "alice", T0, T0));
        access().createSession(session("s-bob", "bob", T0, T0));

        assertThat(access().deleteUser("alice", at(5))).contains(new DeletedUser("id-alice", 0, 1));

        assertThat(access().findUser("alice")).isEmpty();
        assertThat(access().listUsers()).containsExactly(bob);
        assertThat(access().listMemberships("alice")).isEmpty();
        assertThat(access().listMembers("p")).extracting(MembershipRecord::user).containsExactly("bob");
        assertThat(access().listMembers("q")).isEmpty();
        assertThat(access().findSession("s-alice")).isEmpty();
        assertThat(access().findSession("s-bob")).isPresent();
        // The name is free again, without the old memberships.
        createUser("alice");
        assertThat(access().listMemberships("alice")).isEmpty();
    }

    @Test
    void deleteUserOfAMissingUserIsFalse() {
        createUser("alice");
        assertThat(access().deleteUser("bob", at(1))).isEmpty();
        assertThat(access().deleteUser("alice", at(1))).isPresent();
        assertThat(access().deleteUser("alice", at(1))).isEmpty();
    }

    @Test
    void createUserRefusesAnIdInUse() {
        createUser("alice");
        UserRecord sameId = new UserRecord("id-alice", "carol", "$argon2id$c", false, false, at(1), null);
        assertThat(access().createUser(sameId)).isFalse();
        assertThat(access().findUser("carol")).isEmpty();
    }

    @Test
    void deleteUserRevokesTheTokensOfItsIdAndTheirDescendantsInTheSameCall() {
        store.createProject("p", T0);
        createUser("bob");
        store.createToken(ownedToken("own", "bob", "id-bob", null));
        store.createToken(ownedToken("child", null, null, "own"));
        store.createToken(ownedToken("grandchild", null, null, "child"));
        store.createToken(ownedToken("gone", "bob", "id-bob", null));
        store.revokeToken("gone", at(2));
        store.createToken(ownedToken("namesake", "bob", "id-other-bob", null));
        store.createToken(ownedToken("robot", null, null, null));

        assertThat(access().deleteUser("bob", at(10))).contains(new DeletedUser("id-bob", 3, 0));

        for (String id : List.of("own", "child", "grandchild")) {
            assertThat(store.findToken(id).orElseThrow().revokedAt()).as(id).isEqualTo(ms(at(10)));
        }
        assertThat(store.findToken("gone").orElseThrow().revokedAt()).isEqualTo(ms(at(2)));
        assertThat(store.findToken("namesake").orElseThrow().isRevoked())
                .as("another user ID")
                .isFalse();
        assertThat(store.findToken("robot").orElseThrow().isRevoked()).isFalse();
    }

    private static TokenRecord ownedToken(String id, String owner, String ownerId, String parent) {
        return new TokenRecord(
                id, id, "p", null, Permission.WRITE, owner, "hash-" + id, at(1), null, null, null, ownerId, parent);
    }

    @Test
    void putMemberStoresTheMembershipAtMillisecondPrecision() {
        store.createProject("p", T0);
        createUser("alice");
        assertThat(access().putMember(new MembershipRecord("p", "alice", Role.WRITER, at(5))))
                .isTrue();
        assertThat(access().listMembers("p"))
                .containsExactly(new MembershipRecord("p", "alice", Role.WRITER, ms(at(5))));
        assertThat(access().listMemberships("alice"))
                .containsExactly(new MembershipRecord("p", "alice", Role.WRITER, ms(at(5))));
    }

    @Test
    void putMemberReplacesTheRole() {
        store.createProject("p", T0);
        createUser("alice");
        access().putMember(new MembershipRecord("p", "alice", Role.ADMIN, at(1)));
        assertThat(access().putMember(new MembershipRecord("p", "alice", Role.VIEWER, at(2))))
                .isTrue();
        assertThat(access().listMembers("p"))
                .containsExactly(new MembershipRecord("p", "alice", Role.VIEWER, ms(at(2))));
        assertThat(access().listMemberships("alice")).hasSize(1);
    }

    @Test
    void putMemberOfAMissingUserIsFalse() {
        store.createProject("p", T0);
        assertThat(access().putMember(new MembershipRecord("p", "nobody", Role.ADMIN, T0)))
                .isFalse();
        assertThat(access().listMembers("p")).isEmpty();
        assertThat(access().listMemberships("nobody")).isEmpty();
    }

    @Test
    void putMemberOfAMissingProjectThrowsProjectNotFound() {
        createUser("alice");
        assertThatThrownBy(() -> access().putMember(new MembershipRecord("nope", "alice", Role.ADMIN, T0)))
                .isInstanceOf(ProjectNotFoundException.class);
        assertThatThrownBy(() -> access().putMember(new MembershipRecord("nope", "nobody", Role.ADMIN, T0)))
                .isInstanceOf(ProjectNotFoundException.class);
        assertThat(access().listMemberships("alice")).isEmpty();
        assertThat(access().listMembers("nope")).isEmpty();
    }

    @Test
    void putMemberRacingDeleteUserNeverFailsAndLeavesNoMembershipOfTheDeletedUser() throws Exception {
        store.createProject("p", T0);
        for (int round = 0; round < 5; round++) {
            createUser("alice");
            List<Boolean> results = runConcurrently(
                    6,
                    i -> i == 0
                            ? access().deleteUser("alice", at(1)).isPresent()
                            : access().putMember(new MembershipRecord("p", "alice", Role.WRITER, at(i))));
            assertThat(results.getFirst()).isTrue();
            assertThat(access().findUser("alice")).isEmpty();
            assertThat(access().listMembers("p")).isEmpty();
            assertThat(access().listMemberships("alice")).isEmpty();
        }
    }

    @Test
    void removeMemberTakesTheRoleAwayOnce() {
        store.createProject("p", T0);
        store.createProject("q", T0);
        createUser("alice");
        createUser("bob");
        access().putMember(new MembershipRecord("p", "alice", Role.ADMIN, T0));
        access().putMember(new MembershipRecord("q", "alice", Role.ADMIN, T0));
        access().putMember(new MembershipRecord("p", "bob", Role.ADMIN, T0));
        assertThat(access().removeMember("p", "alice")).isTrue();
        assertThat(access().removeMember("p", "alice")).isFalse();
        assertThat(access().removeMember("p", "nobody")).isFalse();
        assertThat(access().removeMember("nope", "alice")).isFalse();
        assertThat(access().listMembers("p")).extracting(MembershipRecord::user).containsExactly("bob");
        assertThat(access().listMemberships("alice"))
                .extracting(MembershipRecord::project)
                .containsExactly("q");
        assertThat(access().findUser("alice")).isPresent();
    }

    @Test
    void listMembersIsByUserNameAndEmptyWhenTheProjectDoesNotExist() {
        store.createProject("p", T0);
        store.createProject("q", T0);
        for (String name : List.of("carol", "alice", "Bob", "bob")) {
            createUser(name);
            access().putMember(new MembershipRecord("p", name, Role.VIEWER, T0));
        }
        access().putMember(new MembershipRecord("q", "alice", Role.ADMIN, T0));
        assertThat(access().listMembers("p"))
                .extracting(MembershipRecord::user)
                .containsExactly("Bob", "alice", "bob", "carol");
        assertThat(access().listMembers("p")).allMatch(m -> m.project().equals("p") && m.role() == Role.VIEWER);
        assertThat(access().listMembers("nope")).isEmpty();
    }

    @Test
    void listMembershipsIsByProjectName() {
        for (String project : List.of("zeta", "alpha", "Beta", "beta")) {
            store.createProject(project, T0);
        }
        createUser("alice");
        createUser("bob");
        access().putMember(new MembershipRecord("zeta", "alice", Role.ADMIN, at(1)));
        access().putMember(new MembershipRecord("alpha", "alice", Role.VIEWER, at(2)));
        access().putMember(new MembershipRecord("beta", "alice", Role.WRITER, at(3)));
        access().putMember(new MembershipRecord("Beta", "alice", Role.VIEWER, at(4)));
        access().putMember(new MembershipRecord("alpha", "bob", Role.ADMIN, at(5)));
        assertThat(access().listMemberships("alice"))
                .containsExactly(
                        new MembershipRecord("Beta", "alice", Role.VIEWER, ms(at(4))),
                        new MembershipRecord("alpha", "alice", Role.VIEWER, ms(at(2))),
                        new MembershipRecord("beta", "alice", Role.WRITER, ms(at(3))),
                        new MembershipRecord("zeta", "alice", Role.ADMIN, ms(at(1))));
        assertThat(access().listMemberships("nobody")).isEmpty();
    }
}
