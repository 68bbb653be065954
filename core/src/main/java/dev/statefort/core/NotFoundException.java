package dev.statefort.core;

/** The named thing (project, state, version, token) does not exist; answered with 404. */
public class NotFoundException extends StatefortException {
    public NotFoundException(String message) {
        super(message);
    }
}
