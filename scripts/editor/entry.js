// The entry point bundled by scripts/refresh-editor.sh into src/wickgraph/server/page/vendor/editor.js.
// It exposes one global, WickEditor, with create(parent, options): a CodeMirror 6 editor with the SPARQL mode,
// highlighting, bracket matching, undo history, and completion from a list of terms the page supplies.
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from "@codemirror/view";
import { EditorState, Prec } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  StreamLanguage,
  syntaxHighlighting,
  defaultHighlightStyle,
  bracketMatching,
} from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";

function create(parent, options) {
  let terms = options.terms || [];
  const source = (context) => {
    const word = context.matchBefore(/[A-Za-z_][\w.-]*:?[\w.-]*|\?[\w]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    if (word.text.startsWith("?")) return null;
    return { from: word.from, options: terms, validFor: /^[\w.:-]*$/ };
  };
  const run = () => {
    if (options.onRun) options.onRun();
    return true;
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: options.doc || "",
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        bracketMatching(),
        closeBrackets(),
        StreamLanguage.define(sparql),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        autocompletion({ override: [source], activateOnTyping: true }),
        Prec.highest(keymap.of([{ key: "Mod-Enter", run }])),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
        EditorView.contentAttributes.of({ "aria-label": options.label || "SPARQL query", spellcheck: "false" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && options.onChange) options.onChange();
        }),
      ],
    }),
  });
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    setTerms: (list) => {
      terms = list;
    },
    focus: () => view.focus(),
  };
}

window.WickEditor = { create };
