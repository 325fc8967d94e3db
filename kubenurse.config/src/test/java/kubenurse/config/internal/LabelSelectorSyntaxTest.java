package kubenurse.config.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "", "app", "!app", "app=kubenurse", "app==kubenurse", "app!=kubenurse", "app=",
        "app.kubernetes.io/name=kubenurse", "app in (a,b)", "app notin (a, b)", "app in ()",
        " app = x , tier != db ", "count>3", "count<-1", "a_b.c-d=E_f.g-H", "x/y", "!example.com/canary"})
    void acceptsWhatTheApiServerAccepts(String selector) {
        assertDoesNotThrow(() -> LabelSelectorSyntax.validate(selector));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "=x", "app=a=b", "app x", "app in a", "app in (a", "app in (a b)", ",app", "app,", "!app=x",
        "app=-x", "_app", "a/b/c=x", "/app", "app/=x", "app>x", "app=(x)", "app notin", "a!b"})
    void rejectsWhatTheApiServerRejects(String selector) {
        assertThrows(IllegalArgumentException.class, () -> LabelSelectorSyntax.validate(selector));
    }
}
