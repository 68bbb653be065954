package dev.statefort.core;

/** The request conflicts with what exists (e.g. a project that already exists); answered with 409. */
public class ConflictException extends StatefortException {
    public ConflictException(String message) {
        super(message);
    }
}
