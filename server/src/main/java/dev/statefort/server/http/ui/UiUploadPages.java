package dev.statefort.server.http.ui;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.state.StateService;
import dev.statefort.core.state.WriteOutcome;
import dev.statefort.core.state.WritePreview;
import dev.statefort.core.state.WriteRequest;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.UploadForm;
import dev.statefort.server.http.ui.Chrome.Crumb;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

/**
 * "Upload a state file" (project page: a new state; state page: a new version): a check that shows
 * what the upload is and the destructive-write guard's warning, then the upload itself, a write as
 * {@code POST /api/v1/projects/{p}/states/{s}/versions} makes it (same rules, same audit event).
 */
public final class UiUploadPages {
    private final StateService states;
    private final UiHistoryPages history;
    private final UiView ui;

    public UiUploadPages(StateService states, UiHistoryPages history, UiView ui) {
        this.states = states;
        this.history = history;
        this.ui = ui;
    }

    /** The form for {@code project} (and {@code state}, or null to ask for the name). */
    static Pages.Upload form(String project, String state) {
        String base = UiPages.projectHref(project) + "/upload";
        return new Pages.Upload(base, base + "/check", state);
    }

    /** What the upload would be, and the guard's warning: nothing is written. */
    void check(Exchange ex, Chrome chrome, Principal principal, String project) throws IOException {
        StateKey key = target(ex, project);
        WritePreview preview;
        try (InputStream in = file(ex).open()) {
            preview = states.preview(principal, key, in);
        }
        var summary = preview.summary();
        ui.send(
                ex,
                200,
                "upload-check.jte",
                chrome.page("Upload · " + key.name(), crumbs(key)),
                new Pages.UploadCheck(
                        key.name(),
                        When.bytes(preview.size()),
                        summary.readable(),
                        summary.serial(),
                        summary.lineage(),
                        summary.resourceCount(),
                        preview.current() == null ? null : preview.current().number(),
                        preview.current() == null ? null : preview.current().serial(),
                        preview.warning(),
                        preview.guard().name().toLowerCase(Locale.ROOT),
                        preview.wouldBeQuarantined()));
    }

    /** The upload: the state's new current version, or the page saying why not (423, 409). */
    void upload(Exchange ex, Chrome chrome, Principal principal, String project) throws IOException {
        StateKey key = target(ex, project);
        UploadForm.File file = file(ex);
        WriteOutcome outcome;
        try (InputStream in = file.open()) {
            outcome = states.write(WriteRequest.of(key, in, file.size(), principal));
        }
        history.written(ex, chrome, key, "uploaded", "Nothing was uploaded.", outcome);
    }

    private static StateKey target(Exchange ex, String project) throws IOException {
        String state = ex.formField("state");
        if (state == null || state.isBlank()) {
            throw new InvalidInputException("give the state's name");
        }
        return new StateKey(project, Names.require("state", state.strip()));
    }

    private static UploadForm.File file(Exchange ex) throws IOException {
        UploadForm.File file = ex.formFile("file");
        if (file == null) {
            throw new InvalidInputException("choose a state file to upload (the form needs"
                    + " enctype=multipart/form-data and a non-empty file)");
        }
        return file;
    }

    private static List<Crumb> crumbs(StateKey key) {
        return List.of(
                new Crumb(key.project(), UiPages.projectHref(key.project())),
                new Crumb(key.name(), UiPages.stateHref(key)),
                new Crumb("upload", UiPages.projectHref(key.project()) + "/upload"));
    }
}
