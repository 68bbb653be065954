package dev.statefort.server.http.ui;

import dev.statefort.core.ConflictException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.insight.ResourceInstance;
import dev.statefort.core.insight.StateDocument;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.StateRecord;
import dev.statefort.core.surgery.SurgeryOperation;
import dev.statefort.core.surgery.SurgeryOutcome;
import dev.statefort.core.usecases.StateUseCases;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.OutcomeStatus;
import dev.statefort.server.http.ui.Chrome.Crumb;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * State surgery in the UI: select resources on a state's surgery page, remove them or move them into
 * another state of the project, see the change (a dry run), confirm. The use case, rules and audit
 * events are {@link dev.statefort.core.surgery.StateSurgery}'s, the same as the REST API's and the CLI's.
 */
public final class UiSurgeryPages {
    private final StateUseCases states;
    private final UiView ui;

    public UiSurgeryPages(StateUseCases states, UiView ui) {
        this.states = states;
        this.ui = ui;
    }

    /** What the pages show: the resources to pick from, the states to move into, a preview. */
    public record Page(
            String project,
            String state,
            String stateHref,
            String action,
            List<String> resources,
            List<String> targets,
            List<String> selected,
            String operation,
            String toState,
            List<SurgeryOutcome.StateChange> preview) {}

    static String href(StateKey key) {
        return UiPages.stateHref(key) + "/surgery";
    }

    /** GET: the resources of the current version, each with a checkbox. */
    void select(Exchange ex, Chrome chrome, Principal principal, StateKey key) throws IOException {
        List<String> resources = states
                .insight()
                .currentDocument(principal, key)
                .map(StateDocument::resources)
                .orElseThrow(
                        () -> new ConflictException("state " + key + " has no plain Terraform content to operate on"))
                .stream()
                .map(ResourceInstance::address)
                .toList();
        send(
                ex,
                chrome,
                200,
                key,
                new Page(
                        key.project(),
                        key.name(),
                        UiPages.stateHref(key),
                        href(key),
                        resources,
                        targets(principal, key),
                        List.of(),
                        "rm",
                        null,
                        null));
    }

    /** POST .../preview: the change the selection would make (a dry run), with a form to confirm it. */
    void preview(Exchange ex, Chrome chrome, Principal principal, StateKey key) throws IOException {
        Selection s = selection(ex);
        SurgeryOutcome outcome = states.surgery().perform(principal, key, s.operations(), true, null);
        SurgeryOutcome.Done done = (SurgeryOutcome.Done) outcome;
        send(ex, chrome, 200, key, confirmation(key, s, done.states()));
    }

    /** POST: the confirmed change, made; back to the state page. */
    void perform(Exchange ex, Chrome chrome, Principal principal, StateKey key) throws IOException {
        Selection s = selection(ex);
        SurgeryOutcome outcome = states.surgery().perform(principal, key, s.operations(), false, null);
        String refusal =
                switch (outcome) {
                    case SurgeryOutcome.Done d -> null;
                    case SurgeryOutcome.Locked l ->
                        "Nothing was written: " + l.state() + " is locked by "
                                + l.holder().id() + ". Try again once it is released.";
                    case SurgeryOutcome.Refused r ->
                        "Nothing was written: the destructive-write guard refused the change to " + r.state() + " ("
                                + String.join("; ", r.findings())
                                + "). An admin can allow it with a destructive-write permit.";
                };
        if (refusal == null) {
            ex.redirect(UiPages.stateHref(key) + "?done=surgery");
            return;
        }
        send(ex, chrome.withNotice(refusal), OutcomeStatus.of(outcome), key, confirmation(key, s, null));
    }

    /** The confirmation form of a selection, with the change it makes (null: not shown). */
    private static Page confirmation(StateKey key, Selection s, List<SurgeryOutcome.StateChange> preview) {
        return new Page(
                key.project(),
                key.name(),
                UiPages.stateHref(key),
                href(key),
                List.of(),
                List.of(),
                s.addresses(),
                s.operation(),
                s.toState(),
                preview);
    }

    /** The form's selection: the checked addresses, remove or move, and the state to move into. */
    private record Selection(List<String> addresses, String operation, String toState) {
        List<SurgeryOperation> operations() {
            List<SurgeryOperation> ops = new ArrayList<>();
            for (String address : addresses) {
                ops.add(SurgeryOperation.of(operation, address, null, "mv".equals(operation) ? toState : null));
            }
            return ops;
        }
    }

    private static Selection selection(Exchange ex) throws IOException {
        String operation = ex.formField("operation");
        String toState = ex.formField("to_state");
        return new Selection(
                ex.formFields("address"), operation, toState == null || toState.isBlank() ? null : toState);
    }

    private List<String> targets(Principal principal, StateKey key) {
        List<String> names = new ArrayList<>();
        for (StateRecord s : states.states().states(principal, key.project())) {
            if (!s.key().equals(key) && s.head() != null) {
                names.add(s.key().name());
            }
        }
        return names;
    }

    private void send(Exchange ex, Chrome chrome, int status, StateKey key, Page page) throws IOException {
        ui.send(
                ex,
                status,
                "surgery.jte",
                chrome.page(
                        "Surgery · " + key,
                        List.of(
                                new Crumb(key.project(), UiPages.projectHref(key.project())),
                                new Crumb(key.name(), UiPages.stateHref(key)),
                                new Crumb("Surgery", href(key)))),
                page);
    }
}
