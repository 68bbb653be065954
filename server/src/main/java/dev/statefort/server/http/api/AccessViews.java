package dev.statefort.server.http.api;

import static dev.statefort.server.http.api.ApiViews.iso;

import dev.statefort.core.admin.TokenAdministration;
import dev.statefort.core.model.AliasRecord;
import dev.statefort.core.model.MembershipRecord;
import dev.statefort.core.model.TokenRecord;
import dev.statefort.core.model.UserRecord;
import dev.statefort.server.http.BackendBlock;
import java.util.Map;

/** JSON shapes of users, members, tokens and aliases. Never a hash; secrets only in the one response that creates them. */
public final class AccessViews {
    private AccessViews() {}

    record UserView(
            String name, boolean globalAdmin, boolean mustChangePassword, String createdAt, String passwordChangedAt) {
        static UserView of(UserRecord u) {
            return new UserView(
                    u.name(), u.globalAdmin(), u.mustChangePassword(), iso(u.createdAt()), iso(u.passwordChangedAt()));
        }
    }

    /** A user just created; {@code password} only when it was generated. */
    record NewUserView(UserView user, String password) {}

    record MemberView(String project, String user, String role, String since) {
        static MemberView of(MembershipRecord m) {
            return new MemberView(m.project(), m.user(), m.role().wireName(), iso(m.since()));
        }
    }

    record SessionView(
            String user, boolean globalAdmin, boolean mustChangePassword, String csrfToken, String expiresAt) {}

    record TokenView(
            String id,
            String name,
            String project,
            String state,
            String permission,
            String owner,
            String createdAt,
            String expiresAt,
            String revokedAt,
            String lastUsedAt,
            String parent) {
        static TokenView of(TokenRecord t) {
            return new TokenView(
                    t.id(),
                    t.name(),
                    t.project(),
                    t.state(),
                    t.permission().wireName(),
                    TokenAdministration.owner(t),
                    iso(t.createdAt()),
                    iso(t.expiresAt()),
                    iso(t.revokedAt()),
                    iso(t.lastUsedAt()),
                    t.parentId());
        }
    }

    /** A token just created: the token text is shown in this response only. */
    record NewTokenView(TokenView record, String token) {}

    record AliasView(
            String id,
            String project,
            String state,
            String username,
            String permission,
            String createdBy,
            String createdAt,
            String expiresAt,
            String revokedAt,
            String makerUser,
            String makerToken,
            String address) {
        static AliasView of(AliasRecord a, String baseUrl) {
            return new AliasView(
                    a.id(),
                    a.state().project(),
                    a.state().name(),
                    a.username(),
                    a.permission().wireName(),
                    a.createdBy(),
                    iso(a.createdAt()),
                    iso(a.expiresAt()),
                    iso(a.revokedAt()),
                    a.maker().user(),
                    a.maker().tokenId(),
                    BackendBlock.aliasAddress(baseUrl, a.id()));
        }
    }

    /** An alias just created or rotated: its password, a backend block and environment to paste, shown once. */
    record NewAliasView(AliasView alias, String password, String backendBlock, Map<String, String> environment) {
        static NewAliasView of(AliasRecord a, String password, String baseUrl) {
            AliasView view = AliasView.of(a, baseUrl);
            String block = BackendBlock.hcl(view.address(), a.username()) + "\n";
            return new NewAliasView(
                    view, password, block, Map.of("TF_HTTP_USERNAME", a.username(), "TF_HTTP_PASSWORD", password));
        }
    }
}
