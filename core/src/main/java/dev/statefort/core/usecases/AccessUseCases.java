package dev.statefort.core.usecases;

import dev.statefort.core.admin.AliasAdministration;
import dev.statefort.core.admin.MemberAdministration;
import dev.statefort.core.admin.TokenAdministration;
import dev.statefort.core.admin.UserAdministration;
import dev.statefort.core.auth.AliasService;
import dev.statefort.core.auth.SessionService;
import dev.statefort.core.auth.TokenService;
import dev.statefort.core.auth.UserService;
import dev.statefort.core.identity.TrustPolicyAdministration;
import dev.statefort.core.identity.WorkloadIdentityService;

/**
 * Who may act: the credentials a request is authenticated with, and the administration of users,
 * project members, API tokens and state aliases the REST API, the UI and the CLI share.
 *
 * @param users users, their passwords and memberships
 * @param sessions UI sessions
 * @param tokens API tokens
 * @param aliases state aliases and their credentials
 * @param userAdmin users and passwords, as an actor administers them
 * @param memberAdmin project members, as an actor administers them
 * @param tokenAdmin API tokens, as an actor issues and revokes them
 * @param aliasAdmin state aliases, as an actor issues, rotates and revokes them
 * @param identities OIDC ID tokens of CI jobs as credentials
 * @param trustAdmin the trust policies that let them in, as an actor manages them
 */
public record AccessUseCases(
        UserService users,
        SessionService sessions,
        TokenService tokens,
        AliasService aliases,
        UserAdministration userAdmin,
        MemberAdministration memberAdmin,
        TokenAdministration tokenAdmin,
        AliasAdministration aliasAdmin,
        WorkloadIdentityService identities,
        TrustPolicyAdministration trustAdmin) {}
