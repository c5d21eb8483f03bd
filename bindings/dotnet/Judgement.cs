// judgement for .NET: a thin wrapper over the C API (bindings/c/include/judgement.h)
// in libjudgement_c. Every method calls one C function; strings cross as
// UTF-8 bytes both ways, and each string the library returns is copied and
// given back to judgement_string_free. Errors come back as JudgementException,
// with the error data the library gives (kind, message, JSON path or
// file:line:column, rule and citation). Builds with Mono's mcs (C# 6) and
// with the .NET SDK.

using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Judgement
{
    /// <summary>How to evaluate; each property may be left at its default.</summary>
    public sealed class Options
    {
        /// <summary>Record every step in the outcome's trace.</summary>
        public bool Trace { get; set; }
        /// <summary>List undeclared evidence keys as warnings instead of refusing them.</summary>
        public bool AllowUnknownFields { get; set; }
        /// <summary>Give the compact outcome (as <c>judgement eval --compact</c>).</summary>
        public bool Compact { get; set; }
        /// <summary>Evaluate with this edition ("2015-04") whatever the evidence's date; null: the one in force.</summary>
        public string Edition { get; set; }

        /// <summary>The options as the JSON the C API reads.</summary>
        public string ToJson()
        {
            var json = new StringBuilder("{");
            json.Append("\"trace\":").Append(Trace ? "true" : "false");
            json.Append(",\"allow_unknown_fields\":").Append(AllowUnknownFields ? "true" : "false");
            json.Append(",\"compact\":").Append(Compact ? "true" : "false");
            if (Edition != null)
            {
                json.Append(",\"edition\":\"");
                foreach (char c in Edition)
                {
                    if (c == '"' || c == '\\') json.Append('\\').Append(c);
                    else if (c < ' ') json.AppendFormat("\\u{0:x4}", (int)c);
                    else json.Append(c);
                }
                json.Append('"');
            }
            return json.Append('}').ToString();
        }
    }

    /// <summary>One error (or warning) as the library gives it.</summary>
    public sealed class JudgementError
    {
        /// <summary>io, syntax, check, calendar, load, json, evidence, edition, evaluation, usage or internal.</summary>
        public string Kind { get; internal set; }
        /// <summary>error or warning.</summary>
        public string Severity { get; internal set; }
        public string Message { get; internal set; }
        public string Help { get; internal set; }
        /// <summary>The JSON path in the evidence ("home.secure", "manager.absences[1].planned"; "" for a record that is not an object), or null.</summary>
        public string Path { get; internal set; }
        /// <summary>The rule, calendar or definitions file (its label when loaded from memory), or null.</summary>
        public string File { get; internal set; }
        /// <summary>1-based, in File or (kind json) in the evidence; null when not known.</summary>
        public int? Line { get; internal set; }
        public int? Column { get; internal set; }
        /// <summary>The rule the problem arose in, and its citation, or null.</summary>
        public string Rule { get; internal set; }
        public string Cite { get; internal set; }
    }

    /// <summary>A call that failed: every error it gave, and the first one's fields.</summary>
    public sealed class JudgementException : Exception
    {
        /// <summary>The errors as the JSON array the C API gives (judgement_last_error).</summary>
        public string ErrorsJson { get; private set; }
        public IList<JudgementError> Errors { get; private set; }
        /// <summary>The first error (severity error): what to show.</summary>
        public JudgementError First { get; private set; }
        public string Kind { get { return First.Kind; } }
        public string Path { get { return First.Path; } }
        public string File { get { return First.File; } }
        public int? Line { get { return First.Line; } }
        public int? Column { get { return First.Column; } }
        public string Rule { get { return First.Rule; } }
        public string Cite { get { return First.Cite; } }

        JudgementException(string json, IList<JudgementError> errors, JudgementError first)
            : base(first.Message)
        {
            ErrorsJson = json;
            Errors = errors;
            First = first;
        }

        /// <summary>The last error of this thread: to be read right after the call that failed.</summary>
        internal static JudgementException Last()
        {
            string json = Native.Copy(Native.judgement_last_error()) ?? "[]";
            var errors = new List<JudgementError>();
            ulong count = (ulong)Native.judgement_error_count();
            for (ulong i = 0; i < count; i++)
            {
                var index = new UIntPtr(i);
                errors.Add(new JudgementError
                {
                    Kind = Field(index, "kind"),
                    Severity = Field(index, "severity"),
                    Message = Field(index, "message"),
                    Help = Field(index, "help"),
                    Path = Field(index, "path"),
                    File = Field(index, "file"),
                    Line = Number(Field(index, "line")),
                    Column = Number(Field(index, "column")),
                    Rule = Field(index, "rule"),
                    Cite = Field(index, "cite"),
                });
            }
            JudgementError first = errors.Find(e => e.Severity == "error");
            if (first == null)
            {
                first = new JudgementError { Kind = "internal", Severity = "error", Message = "the call failed without an error" };
            }
            return new JudgementException(json, errors, first);
        }

        static string Field(UIntPtr index, string name)
        {
            return Native.Copy(Native.judgement_error_field(index, Native.Utf8(name)));
        }

        static int? Number(string text)
        {
            int n;
            return text != null && int.TryParse(text, out n) ? n : (int?)null;
        }
    }

    /// <summary>The native handle of a ruleset, freed once by judgement_free.</summary>
    public sealed class RulesetHandle : SafeHandle
    {
        public RulesetHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            Native.judgement_free(handle);
            return true;
        }
    }

    /// <summary>
    /// The editions of one ruleset, loaded once. Immutable: one instance may be
    /// used from many threads at once. Dispose frees the native ruleset.
    /// </summary>
    public sealed class Ruleset : IDisposable
    {
        readonly RulesetHandle handle;

        Ruleset(RulesetHandle handle)
        {
            this.handle = handle;
        }

        /// <summary>A rule file, or a folder of editions, with the calendars and definitions beside it.</summary>
        public static Ruleset Load(string path)
        {
            return Opened(Native.judgement_open(Native.Utf8(path)));
        }

        /// <summary>
        /// From texts in memory, keyed by label: "NAME.calendar" is a calendar, a
        /// definitions file is found by its label's stem, every other text an edition.
        /// </summary>
        public static Ruleset FromSources(IDictionary<string, string> sources)
        {
            if (sources == null) throw new ArgumentNullException("sources");
            var labels = new List<IntPtr>();
            var texts = new List<IntPtr>();
            try
            {
                foreach (var pair in sources)
                {
                    labels.Add(Native.Alloc(pair.Key));
                    texts.Add(Native.Alloc(pair.Value));
                }
                return Opened(Native.judgement_open_sources(labels.ToArray(), texts.ToArray(), new UIntPtr((uint)labels.Count)));
            }
            finally
            {
                foreach (var p in labels) Marshal.FreeHGlobal(p);
                foreach (var p in texts) Marshal.FreeHGlobal(p);
            }
        }

        static Ruleset Opened(RulesetHandle handle)
        {
            if (handle.IsInvalid)
            {
                var error = JudgementException.Last();
                handle.Dispose();
                throw error;
            }
            return new Ruleset(handle);
        }

        RulesetHandle Handle
        {
            get
            {
                if (handle.IsClosed) throw new ObjectDisposedException("Ruleset");
                return handle;
            }
        }

        /// <summary>One evidence record (JSON) to its outcome: the JSON judgement eval prints, without a final newline.</summary>
        public string Evaluate(string evidenceJson, Options options = null)
        {
            return Native.Take(Native.judgement_evaluate(Handle, Native.Utf8(evidenceJson), Json(options)));
        }

        /// <summary>JSON Lines to the outcome lines judgement eval writes; a failed record is an error line.</summary>
        public string EvaluateLines(string lines, Options options = null)
        {
            long failed;
            return EvaluateLines(lines, options, out failed);
        }

        /// <summary>As EvaluateLines, with how many lines failed.</summary>
        public string EvaluateLines(string lines, Options options, out long failed)
        {
            UIntPtr count;
            string output = Native.Take(Native.judgement_evaluate_lines(Handle, Native.Utf8(lines), Json(options), out count));
            failed = (long)(ulong)count;
            return output;
        }

        /// <summary>The outcome in plain English, as judgement explain prints it; name stands for the evidence.</summary>
        public string Explain(string evidenceJson, string name, Options options = null)
        {
            return Native.Take(Native.judgement_explain(Handle, Native.Utf8(evidenceJson), Native.Utf8(name), Json(options)));
        }

        /// <summary>Why target does not hold for one record, as judgement explain --why-not prints it:
        /// a rule id, JUDGEMENT=VALUE, or action:NAME, finding:NAME, deadline:NAME. asJson: the answer
        /// as JSON (--json); else in plain English. An unknown target is a usage error.</summary>
        public string WhyNot(string evidenceJson, string target, Options options = null, bool asJson = false)
        {
            return Native.Take(Native.judgement_why_not(Handle, Native.Utf8(evidenceJson), Native.Utf8(target), Json(options), asJson));
        }

        /// <summary>The evidence JSON Schema of an edition (null: the newest).</summary>
        public string Schema(string edition = null, bool allowUnknownFields = false)
        {
            return Native.Take(Native.judgement_schema(Handle, Native.Utf8(edition), allowUnknownFields));
        }

        /// <summary>The warnings found while loading, as a JSON array of error objects.</summary>
        public string Warnings()
        {
            return Native.Take(Native.judgement_warnings(Handle));
        }

        /// <summary>The rule files' own tests, run: a JSON array of {edition, name, passed, failures}.</summary>
        public string RunTests()
        {
            return Native.Take(Native.judgement_run_tests(Handle));
        }

        /// <summary>The version of the native library.</summary>
        public static string Version
        {
            get { return Native.Copy(Native.judgement_version()); }
        }

        public void Dispose()
        {
            handle.Dispose();
        }

        static byte[] Json(Options options)
        {
            return options == null ? null : Native.Utf8(options.ToJson());
        }
    }

    /// <summary>The C functions, with strings as UTF-8 bytes.</summary>
    static class Native
    {
        /// <summary>libjudgement_c.so (Linux), libjudgement_c.dylib, judgement_c.dll.</summary>
        const string Library = "judgement_c";

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern RulesetHandle judgement_open(byte[] path);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern RulesetHandle judgement_open_sources(IntPtr[] labels, IntPtr[] texts, UIntPtr count);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void judgement_free(IntPtr ruleset);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr judgement_evaluate(RulesetHandle ruleset, byte[] evidence, byte[] options);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr judgement_evaluate_lines(RulesetHandle ruleset, byte[] lines, byte[] options, out UIntPtr failed);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr judgement_explain(RulesetHandle ruleset, byte[] evidence, byte[] name, byte[] options);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr judgement_why_not(RulesetHandle ruleset, byte[] evidence, byte[] target, byte[] options, [MarshalAs(UnmanagedType.U1)] bool asJson);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr judgement_schema(RulesetHandle ruleset, byte[] edition, [MarshalAs(UnmanagedType.U1)] bool allowUnknownFields);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr judgement_warnings(RulesetHandle ruleset);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr judgement_run_tests(RulesetHandle ruleset);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void judgement_string_free(IntPtr text);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr judgement_last_error();

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern UIntPtr judgement_error_count();

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr judgement_error_field(UIntPtr index, byte[] field);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr judgement_version();

        /// <summary>UTF-8 that throws on a lone surrogate, where Encoding.UTF8 writes U+FFFD.</summary>
        static readonly Encoding StrictUtf8 = new UTF8Encoding(false, true);

        /// <summary>
        /// A NUL-terminated UTF-8 copy of text; null stays null (the C API's NULL).
        /// A text that holds a NUL character is refused: the C API would read it
        /// only up to that character and never see the rest. So is one holding a
        /// lone surrogate, which is no character: written as U+FFFD, the record
        /// would be evaluated with a character it does not hold.
        /// </summary>
        internal static byte[] Utf8(string text)
        {
            if (text == null) return null;
            if (text.IndexOf('\0') >= 0)
                throw new ArgumentException("the text holds a NUL character, which the C API cannot be given: it would read the text only up to it");
            byte[] bytes;
            try
            {
                bytes = new byte[StrictUtf8.GetByteCount(text) + 1];
                StrictUtf8.GetBytes(text, 0, text.Length, bytes, 0);
            }
            catch (EncoderFallbackException e)
            {
                throw new ArgumentException("the text holds a lone surrogate, which is no character and cannot be written as UTF-8", e);
            }
            return bytes;
        }

        /// <summary>text as UTF-8 in unmanaged memory, for arrays of strings; free with Marshal.FreeHGlobal.</summary>
        internal static IntPtr Alloc(string text)
        {
            if (text == null) return IntPtr.Zero;
            byte[] bytes = Utf8(text);
            IntPtr p = Marshal.AllocHGlobal(bytes.Length);
            Marshal.Copy(bytes, 0, p, bytes.Length);
            return p;
        }

        /// <summary>The text of a NUL-terminated UTF-8 string the library owns; NULL is null.</summary>
        internal static string Copy(IntPtr text)
        {
            if (text == IntPtr.Zero) return null;
            int length = 0;
            while (Marshal.ReadByte(text, length) != 0) length++;
            var bytes = new byte[length];
            Marshal.Copy(text, bytes, 0, length);
            return Encoding.UTF8.GetString(bytes);
        }

        /// <summary>A string the caller owns, copied and freed; NULL is the thread's last error, thrown.</summary>
        internal static string Take(IntPtr text)
        {
            if (text == IntPtr.Zero) throw JudgementException.Last();
            try
            {
                return Copy(text);
            }
            finally
            {
                judgement_string_free(text);
            }
        }
    }
}
