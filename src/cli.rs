//! The command line: the TUI by default, and headless commands for scripts and CI.

use std::fmt::Write as _;
use std::io::Write as _;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::app::LoadError;
use crate::app::state::{parse_budget, parse_bytes};
use crate::caps::{ColorFlag, escape_json, visible, visible_lines};
use crate::interop;
use crate::interop::export::ExportFormat;
use crate::model::diff::{Line, diff};
use crate::model::solve::{SolveError, largest_size};
use crate::model::{Budget, Convention, Design, Layout, Precision, Summary, layer_names};
use crate::report;
use crate::report::columns::Column;
use crate::report::layer_changes;
use crate::report::numbers::{format_bytes, signed, thousands};
use crate::report::summary_width::{TableWidths, console_columns, terminal_columns};
use crate::store::{Store, StoreError};

/// A terminal model designer: Keras-exact parameter counts, shapes and formulas, explained.
#[derive(Debug, Parser)]
#[command(name = "lstm-tui", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do; without a command, the designer opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Design to open: a saved design's name or a path (.ron, Keras JSON, or Keras Python .py).
    pub design: Option<String>,
    /// Colour output: auto detects from NO_COLOR, TERM and COLORTERM.
    #[arg(long, value_enum, default_value_t = ColorFlag::Auto)]
    pub color: ColorFlag,
    /// Draw borders, gauges and arrows with ASCII only.
    #[arg(long)]
    pub ascii: bool,
    /// Leave the mouse to the terminal (so text can be selected).
    #[arg(long)]
    pub no_mouse: bool,
}

/// Headless commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the summary table of a design, like Keras' model.summary().
    Summary {
        /// A design file (.ron), a Keras model JSON (model.to_json()), Keras Python code (.py,
        /// read, never run), or a saved name.
        path: String,
        /// Whose counting rules to use.
        #[arg(long, value_enum, default_value_t = ConventionArg::Keras)]
        convention: ConventionArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Extra table columns, comma-separated, in the order given: input, macs, memory,
        /// percent, trainable (memory at the design's budget precision, fp32 by default).
        /// JSON rows always carry them.
        #[arg(long, value_parser = parse_columns)]
        columns: Option<Columns>,
        /// Lay the table out for a terminal this many columns wide, as Keras would (its table
        /// is min(88, N - 4) characters wide, 108 with "Connected to"). Without it: the
        /// terminal's width, as Python finds it (COLUMNS, then the terminal on standard
        /// output), or 80 when standard output is not a terminal.
        #[arg(long, value_name = "N", value_parser = parse_width)]
        width: Option<usize>,
    },
    /// Explain how each layer's parameter count comes about, step by step.
    Explain {
        /// A design file (.ron), a Keras model JSON, Keras Python code (.py), or a saved name.
        path: String,
        /// Only this layer: its number in the designer's list (1 = first layer after the
        /// input) or its name.
        #[arg(long)]
        layer: Option<String>,
        /// Whose counting rules to use.
        #[arg(long, value_enum, default_value_t = ConventionArg::Keras)]
        convention: ConventionArg,
    },
    /// List the saved designs with their totals.
    List,
    /// Find the largest size for one layer that keeps the design within its budgets
    /// (parameters, memory, MACs; flags override the design's own). Exit status: 0 a size
    /// fits, 1 the design does not build, 2 bad input, 3 nothing fits, 4 no budget is set.
    Fit {
        /// A design file (.ron), a Keras model JSON, Keras Python code (.py), or a saved name.
        path: String,
        /// The parameter budget: 60000, 60,000, 60k, 1.5M.
        #[arg(long, value_name = "COUNT", value_parser = parse_count)]
        params: Option<Read>,
        /// The parameter memory budget at --precision: bytes, or 64KiB, 64KB, 64kB (each
        /// 1,024 bytes, as Keras' summary counts KB), 1MiB, 1MB.
        #[arg(long, value_name = "BYTES", value_parser = parse_size)]
        memory: Option<Read>,
        /// The precision the memory budget counts parameters at.
        #[arg(long, value_enum)]
        precision: Option<PrecisionArg>,
        /// The compute budget, multiply-accumulates per sample: 5000000, 5M.
        #[arg(long, value_name = "N", value_parser = parse_count)]
        macs: Option<Read>,
        /// The layer to resize: its number in the designer's list (1 = first layer after the
        /// input) or its name.
        #[arg(long)]
        layer: String,
        /// Round the size down to a multiple of this.
        #[arg(long, default_value_t = 1)]
        multiple: u64,
        /// Whose counting rules to use.
        #[arg(long, value_enum, default_value_t = ConventionArg::Keras)]
        convention: ConventionArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FitFormat::Text)]
        format: FitFormat,
    },
    /// Compare two designs row by row, from the first to the second: `~` a changed row (and
    /// what changed in it), `-` only in the first, `+` only in the second.
    Diff {
        /// The first design (the base).
        a: String,
        /// The second design (what the base became).
        b: String,
        /// Whose counting rules to use.
        #[arg(long, value_enum, default_value_t = ConventionArg::Keras)]
        convention: ConventionArg,
        /// Exit with status 1 when the designs differ, 0 when they do not (as `git diff
        /// --exit-code`).
        #[arg(long)]
        exit_code: bool,
    },
    /// Save a model written in Keras Python code (.py) or Keras JSON as a design.
    Import {
        /// The file: Keras JSON (model.to_json(), by extension or content) or Python code.
        file: PathBuf,
        /// The name to save it under; the file's stem if not given.
        #[arg(long)]
        name: Option<String>,
        /// Replace a saved design of the same name.
        #[arg(long)]
        force: bool,
    },
    /// Write a design as code or as its summary, to standard output unless -o names a file.
    Export {
        /// A saved name or a path (.ron, Keras JSON, or Python .py).
        design: String,
        /// What to write.
        #[arg(long, value_enum)]
        to: ExportFormat,
        /// Write to this file instead of standard output; in a folder (one that exists, or a
        /// path ending in `/`), to the file named after the design: out/model_torch.py
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Whose counting rules the summaries (markdown, json) use.
        #[arg(long, value_enum, default_value_t = ConventionArg::Keras)]
        convention: ConventionArg,
    },
}

/// `--convention`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ConventionArg {
    /// Keras 3 (one bias per RNN gate; BatchNorm statistics non-trainable).
    Keras,
    /// PyTorch (two biases per RNN gate; BatchNorm statistics are buffers).
    Pytorch,
}

impl From<ConventionArg> for Convention {
    fn from(c: ConventionArg) -> Self {
        match c {
            ConventionArg::Keras => Convention::Keras,
            ConventionArg::Pytorch => Convention::PyTorch,
        }
    }
}

/// `--precision`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PrecisionArg {
    /// 32-bit float, 4 bytes per parameter.
    Fp32,
    /// 16-bit float, 2 bytes.
    Fp16,
    /// bfloat16, 2 bytes.
    Bf16,
    /// 8-bit integers, 1 byte.
    Int8,
}

impl From<PrecisionArg> for Precision {
    fn from(p: PrecisionArg) -> Self {
        match p {
            PrecisionArg::Fp32 => Precision::Fp32,
            PrecisionArg::Fp16 => Precision::Fp16,
            PrecisionArg::Bf16 => Precision::Bf16,
            PrecisionArg::Int8 => Precision::Int8,
        }
    }
}

/// `summary --columns`: the optional columns in the order given.
#[derive(Debug, Clone)]
pub struct Columns(pub Vec<Column>);

fn parse_columns(text: &str) -> Result<Columns, String> {
    Column::parse_list(text).map(Columns)
}

/// A budget flag's value and the text it was read from, so that the reading can be echoed.
#[derive(Debug, Clone)]
pub struct Read {
    /// The number read.
    pub value: u64,
    /// What was typed.
    pub typed: String,
}

fn parse_count(text: &str) -> Result<Read, String> {
    read_with(text, parse_budget)
}

fn parse_size(text: &str) -> Result<Read, String> {
    read_with(text, parse_bytes)
}

/// A budget flag read as the designer's budget form reads it; an empty flag is refused.
fn read_with(
    text: &str,
    parse: impl Fn(&str) -> Result<Option<u64>, String>,
) -> Result<Read, String> {
    match parse(text)? {
        Some(value) => Ok(Read {
            value,
            typed: text.to_string(),
        }),
        None => Err("give a number such as 60000, 60k or 64KiB".into()),
    }
}

/// The widest terminal there is: its size is a 16-bit count.
const WIDEST: usize = u16::MAX as usize;

/// `summary --width`: the terminal width to lay the table out for.
fn parse_width(text: &str) -> Result<usize, String> {
    match text.trim().parse::<u64>() {
        Ok(0) => {
            Err("a terminal 0 columns wide shows nothing: give its width, such as 80 or 120".into())
        }
        Ok(n) => match usize::try_from(n) {
            Ok(n) if n <= WIDEST => Ok(n),
            _ => Err(format!(
                "no terminal is {n} columns wide (at most {WIDEST}); Keras' table is never wider \
                 than 108 characters, so --width 200 shows it in full"
            )),
        },
        Err(_) => Err("give the terminal width in columns, such as 80 or 200".into()),
    }
}

/// Keras' table for `--width` when given, else for the terminal as Keras finds it: the
/// table by Python's `shutil.get_terminal_size()` (standard output's terminal), the title
/// and totals by rich's console (the first of standard input, output and error that is one).
fn table_widths(width: Option<usize>, graph: bool) -> Result<TableWidths, report::TooNarrow> {
    if let Some(width) = width {
        return TableWidths::keras(width, graph);
    }
    let env = std::env::var("COLUMNS").ok();
    fn size(fd: impl AsFd) -> Option<u16> {
        rustix::termios::tcgetwinsize(fd).ok().map(|s| s.ws_col)
    }
    let stdout = size(std::io::stdout());
    let first = size(std::io::stdin())
        .or(stdout)
        .or_else(|| size(std::io::stderr()));
    let widths = TableWidths::keras(terminal_columns(env.as_deref(), stdout), graph)?;
    Ok(widths.with_console(console_columns(env.as_deref(), first)))
}

/// `summary --format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// Keras' box-drawn table.
    Table,
    /// The documented JSON object.
    Json,
    /// A Markdown table.
    Markdown,
}

/// `fit --format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FitFormat {
    /// A sentence.
    Text,
    /// `{"ok": true, "layer", "field", "size", "total", "macs"}`, or
    /// `{"ok": false, "reason", "minimum_total"}`.
    Json,
}

/// Exit statuses of the headless commands.
const BUILT: u8 = 0;
const DOES_NOT_BUILD: u8 = 1;
const UNREADABLE: u8 = 2;
/// `fit`: even the smallest size is over budget (or the budget cannot be counted).
const NOTHING_FITS: u8 = 3;
/// `fit`: no budget is set, so "largest that fits" has no answer.
const NO_BUDGET: u8 = 4;
/// `diff --exit-code`: the designs differ.
const DIFFERENT: u8 = 1;

/// Runs a headless command and returns its exit status.
pub fn run(command: Command) -> ExitCode {
    let store = match Store::from_env() {
        Ok(s) => s,
        Err(e) => return fail(&e.to_string()),
    };
    match command {
        Command::Summary {
            path,
            convention,
            format,
            columns,
            width,
        } => with_design(&store, &path, |d| {
            let columns = columns.map(|c| c.0).unwrap_or_default();
            summary(d, convention.into(), format, &columns, width)
        }),
        Command::Explain {
            path,
            layer,
            convention,
        } => with_design(&store, &path, |d| {
            explain(d, layer.as_deref(), convention.into())
        }),
        Command::List => match store.list() {
            Ok(listed) => print(&crate::store::list_text(&listed, visible), BUILT),
            Err(e) => fail(&e.to_string()),
        },
        Command::Fit {
            path,
            params,
            memory,
            precision,
            macs,
            layer,
            multiple,
            convention,
            format,
        } => with_design(&store, &path, |mut d| {
            echo_read("--params", params.as_ref(), |n| {
                format!("{} parameters", thousands(n))
            });
            echo_read("--memory", memory.as_ref(), |n| {
                format!("{} bytes ({})", thousands(n), format_bytes(n))
            });
            echo_read("--macs", macs.as_ref(), |n| {
                format!("{} MACs", thousands(n))
            });
            let b = &mut d.budget;
            b.params = params.map(|r| r.value).or(b.params);
            b.memory = memory.map(|r| r.value).or(b.memory);
            b.precision = precision.map_or(b.precision, Precision::from);
            b.macs = macs.map(|r| r.value).or(b.macs);
            let Some(index) = layer_named(&d, &layer) else {
                return fail(&no_layer(&layer, &layer_names(&d.layers)));
            };
            fit(&d, index, multiple, convention.into(), format)
        }),
        Command::Diff {
            a,
            b,
            convention,
            exit_code,
        } => match (
            load(&store, &a, Called::AsKeras),
            load(&store, &b, Called::AsKeras),
        ) {
            (Ok(a), Ok(b)) => compare(&a, &b, convention.into(), exit_code),
            (Err(e), _) | (_, Err(e)) => fail(&e.to_string()),
        },
        Command::Import { file, name, force } => import(&store, &file, name, force),
        Command::Export {
            design,
            to,
            output,
            convention,
        } => {
            let output = output.map(|o| export_file(o, to, &design));
            // Checked before reading: the design being exported is never replaced by its export.
            if let Some(out) = &output
                && let Some(source) = source_path(&store, &design)
                && same_file(&source, out)
            {
                return fail(&format!(
                    "{}: this is the design being exported; refusing to overwrite it: give -o another file",
                    out.display()
                ));
            }
            with_design(&store, &design, |d| {
                export(&d, to, output.as_deref(), convention.into())
            })
        }
    }
}

/// Reads the design at `arg` and hands it to `f`; an unreadable input exits with status 2.
fn with_design(store: &Store, arg: &str, f: impl FnOnce(Design) -> ExitCode) -> ExitCode {
    match load(store, arg, Called::AsKeras) {
        Ok(d) => f(d),
        Err(e) => fail(&e.to_string()),
    }
}

/// Where `export -o OUTPUT` writes: OUTPUT, or when it names a folder (one that exists, or
/// any path ending in `/`) the file the export popup would write there, named after the
/// design (`-o out/` for `model.py` to PyTorch: `out/model_torch.py`), as `cp` does.
fn export_file(output: PathBuf, to: ExportFormat, design: &str) -> PathBuf {
    let text = output.as_os_str().to_string_lossy();
    if !(output.is_dir() || text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR)) {
        return output;
    }
    let stem = Path::new(design)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    output.join(to.file_name(&stem))
}

/// The file `load` reads for `arg`, if it names one.
fn source_path(store: &Store, arg: &str) -> Option<PathBuf> {
    if is_python(Path::new(arg)) {
        return Some(PathBuf::from(arg));
    }
    store.resolve(arg).ok()
}

/// Whether two paths name the same existing file (through links, `..` and the like).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// What a design read from Keras code or Keras JSON is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Called {
    /// As Keras calls the model (its `name=`, else `sequential`, `functional`, ...), so the
    /// summary's title is Keras' own.
    AsKeras,
    /// After the file's stem, as a design saved from it is.
    AfterFile,
}

/// A design from a saved name, a RON file, a Keras model JSON file or Keras Python code
/// (`.py`), the last two called as `called` says. Errors read `path:line:column: what is
/// wrong`.
pub fn load(store: &Store, arg: &str, called: Called) -> Result<Design, LoadError> {
    let path = if is_python(Path::new(arg)) {
        PathBuf::from(arg)
    } else {
        store.resolve(arg)?
    };
    if is_python(&path) || is_json(&path) {
        let mut design = read_file(&path)?;
        if called == Called::AfterFile {
            design.name = stem(&path);
        }
        return Ok(design);
    }
    // A path has no saved name to differ from, so the load gives no warnings.
    Ok(store.read_path(&path)?)
}

/// Python code is recognised by its `.py` extension.
fn is_python(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("py"))
}

/// The file's name without its extension, the name a design imported from it is saved under.
fn stem(path: &Path) -> String {
    path.file_stem()
        .map_or("imported".into(), |s| s.to_string_lossy().into_owned())
}

/// A design from a Keras JSON file (by extension or content) or from Python code (anything
/// else), called as Keras calls the model.
fn read_file(path: &Path) -> Result<Design, LoadError> {
    let bytes = crate::store::read_capped(path)?;
    let text = crate::store::text_of(&bytes)
        .map_err(|e| LoadError::Store(StoreError::Parse(e.in_file(path))))?;
    if !is_python(path) && is_json(path) {
        return interop::design_from_keras_json(text).map_err(|e| LoadError::import(path, e));
    }
    interop::python::design_from_python(text).map_err(|e| LoadError::import(path, e))
}

/// Keras model JSON is recognised by its extension or by starting with `{`.
fn is_json(path: &Path) -> bool {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        return true;
    }
    // Only a regular file is opened: a FIFO would block here forever (reading it later
    // reports why it is refused).
    let Ok(mut f) = crate::store::open_regular(path) else {
        return false;
    };
    let mut head = [0u8; 64];
    let n = std::io::Read::read(&mut f, &mut head).unwrap_or(0);
    let head = &head[..n];
    head.strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(head)
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{')
}

/// `import`: reads the file and saves it in the store, refusing to replace a design unless
/// `force`.
fn import(store: &Store, file: &Path, name: Option<String>, force: bool) -> ExitCode {
    let mut design = match read_file(file) {
        Ok(d) => d,
        Err(e) => return fail(&e.to_string()),
    };
    design.name = name.unwrap_or_else(|| stem(file));
    let saved = if force {
        store.save_overwriting(&design)
    } else {
        store.save(&design, None)
    };
    match saved {
        Ok(_) => {}
        Err(StoreError::Exists { path }) => {
            return fail(&format!(
                "{}: a design named {:?} is already saved there: choose another name with --name NAME, or replace it with --force",
                path.display(),
                design.name
            ));
        }
        Err(e) => return fail(&e.to_string()),
    }
    let where_ = store
        .design_path(&design.name)
        .map_or_else(|_| design.name.clone(), |p| p.display().to_string());
    let s = Summary::of(&design, Convention::Keras);
    let total = s.totals.total().map_or("too many".into(), thousands);
    let (text, status) = match &s.error {
        None => (
            format!(
                "saved {:?} to {where_}: {} layers, {total} parameters (Keras)\n",
                design.name,
                design.layers.len()
            ),
            BUILT,
        ),
        Some(e) => (
            format!(
                "saved {:?} to {where_}; it does not build: {e}\n",
                design.name
            ),
            DOES_NOT_BUILD,
        ),
    };
    print(&text, status)
}

/// `export`: the design in the chosen form, to standard output or to `output`.
fn export(
    design: &Design,
    to: ExportFormat,
    output: Option<&Path>,
    convention: Convention,
) -> ExitCode {
    let s = Summary::of(design, convention);
    let exported = to.write(design, &s);
    for why in &exported.unsupported {
        warn(&format!("warning: no PyTorch equivalent: {why}"));
    }
    let text = exported.text;
    // Every format spells user text safely already; this makes sure a file gets nothing that
    // standard output would not.
    let text = visible_lines(&text).into_owned();
    let status = if s.is_ok() { BUILT } else { DOES_NOT_BUILD };
    let Some(path) = output else {
        return print(&text, status);
    };
    // Atomic: an interrupted export leaves the previous file, never half a file.
    match crate::store::replace_file(path, text.as_bytes()) {
        Ok(()) => {
            warn(&format!("wrote {} to {}", to.written(), path.display()));
            ExitCode::from(status)
        }
        Err(e) => fail(&e.to_string()),
    }
}

fn summary(
    design: Design,
    convention: Convention,
    format: Format,
    columns: &[Column],
    width: Option<usize>,
) -> ExitCode {
    let s = Summary::of(&design, convention);
    let precision = design.budget.precision;
    let status = if s.is_ok() { BUILT } else { DOES_NOT_BUILD };
    let code = match format {
        Format::Table => match table_widths(width, s.layout == Layout::Graph) {
            Ok(widths) => print_parts(status, |write| {
                report::text_in_parts(&s, &design.name, columns, &design.budget, &widths, write);
            }),
            Err(e) => fail(&e.to_string()),
        },
        Format::Json => print_parts(status, |write| {
            report::json_text_in_parts(&s, precision, write);
            write("\n");
        }),
        Format::Markdown => print(&report::markdown_with(&s, columns, &design.budget), status),
    };
    // The process ends right after: the system takes a large design's memory back at once,
    // faster than freeing its rows and layers one by one.
    std::mem::forget(s);
    std::mem::forget(design);
    code
}

fn explain(design: Design, layer: Option<&str>, convention: Convention) -> ExitCode {
    let s = Summary::of(&design, convention);
    let chosen: Vec<usize> = match layer {
        None => (0..design.layers.len())
            .filter(|&i| s.row_of(i).is_some())
            .collect(),
        Some(sel) => match layer_named(&design, sel).filter(|&i| s.row_of(i).is_some()) {
            Some(i) => vec![i],
            None => {
                let names: Vec<String> = s.rows.iter().map(|r| r.name.to_string()).collect();
                return fail(&no_layer(sel, &names));
            }
        },
    };
    let mut out = String::new();
    for i in chosen {
        out.push_str(&crate::report::explain_text::layer(&design, &s, i));
        out.push('\n');
    }
    if let Some(e) = &s.error {
        let _ = writeln!(out, "layer {} does not build: {e}", e.index + 1);
    }
    print(&out, if s.is_ok() { BUILT } else { DOES_NOT_BUILD })
}

/// The layer `sel` names: its number as the designer's list shows it (1 = first layer after
/// the input) or its Keras name.
fn layer_named(design: &Design, sel: &str) -> Option<usize> {
    let count = design.layers.len();
    let by_number = sel
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=count).contains(n))
        .map(|n| n - 1);
    by_number.or_else(|| layer_names(&design.layers).iter().position(|n| n == sel))
}

/// Why `sel` names no layer, and what would.
fn no_layer(sel: &str, names: &[String]) -> String {
    if names.is_empty() {
        return format!("no layer `{sel}`: the design has no layers");
    }
    format!(
        "no layer `{sel}`: give a number from 1 to {} (as the designer lists them) or one of: {}",
        names.len(),
        names.join(", ")
    )
}

/// Says on stderr how a budget flag written with a suffix or separators was read, so that
/// `64KB` is seen to mean 65,536 bytes.
fn echo_read(flag: &str, read: Option<&Read>, show: impl Fn(u64) -> String) {
    if let Some(r) = read
        && r.typed.trim() != r.value.to_string()
    {
        warn(&format!(
            "read {flag} {} as {}",
            r.typed.trim(),
            show(r.value)
        ));
    }
}

fn fit(
    design: &Design,
    layer: usize,
    multiple: u64,
    convention: Convention,
    format: FitFormat,
) -> ExitCode {
    let names = layer_names(&design.layers);
    match largest_size(design, layer, multiple, convention) {
        Ok(p) => {
            let c = p.changes[0];
            // The layers a merge ties to this one moved with it.
            let tied: Vec<&str> = p.changes[1..]
                .iter()
                .filter_map(|t| names.get(t.layer).map(String::as_str))
                .collect();
            let text = match format {
                FitFormat::Json => {
                    serde_json::json!({
                        "ok": true,
                        "layer": c.layer, "field": c.field, "size": c.new, "total": p.total,
                        "macs": Summary::of(&p.design, convention).macs.ok(),
                        "tied": tied,
                    })
                    .to_string()
                        + "\n"
                }
                FitFormat::Text => format!(
                    "layer {} {}: {} {} → {}{} gives {} parameters ({})\n",
                    c.layer + 1,
                    names.get(c.layer).map_or("", String::as_str),
                    c.field,
                    c.old,
                    c.new,
                    if tied.is_empty() {
                        String::new()
                    } else {
                        format!(" with {} (tied by a merge)", tied.join(", "))
                    },
                    thousands(p.total),
                    budgets_text(&design.budget)
                ),
            };
            print(&text, BUILT)
        }
        Err(e) => {
            let status = match e {
                SolveError::NoBudget => NO_BUDGET,
                SolveError::DoesNotBuild(_) => DOES_NOT_BUILD,
                SolveError::OverBudget(_) | SolveError::Uncounted(_) => NOTHING_FITS,
                SolveError::NoSuchLayer(_)
                | SolveError::NoSize(_)
                | SolveError::BadMultiple
                | SolveError::Pinned { .. } => UNREADABLE,
            };
            match format {
                FitFormat::Json => {
                    let text = escape_json(
                        &serde_json::json!({
                            "ok": false,
                            "reason": e.to_string(),
                            "minimum_total": e.minimum_total(),
                        })
                        .to_string(),
                    )
                    .into_owned();
                    print(&(text + "\n"), status)
                }
                FitFormat::Text => {
                    warn(&e.to_string());
                    ExitCode::from(status)
                }
            }
        }
    }
}

/// `diff`: the rows of `a` against those of `b` in aligned columns, `~` for a changed row
/// (with what changed in it), `-` for one only in `a`, `+` for one only in `b`.
fn compare(a: &Design, b: &Design, convention: Convention, exit_code: bool) -> ExitCode {
    let d = diff(a, b, convention);
    let mut notes = vec![String::new(); d.line_count()];
    for (at, i, j) in d.changed() {
        if let (Some(x), Some(y), Some(note)) =
            (a.layers.get(i), b.layers.get(j), notes.get_mut(at))
        {
            *note = layer_changes::changes(x, y).join(", ");
        }
    }
    let count = |r: &crate::model::Row| r.params.total().map_or_else(|e| e.to_string(), thousands);
    let cell = |r: &crate::model::Row| {
        (
            format!("{} ({})", visible(&r.name), r.class),
            r.output.to_string(),
            count(r),
        )
    };
    let mut rows = vec![(
        " ",
        (
            "Layer (type)".to_string(),
            "Output Shape".to_string(),
            "Param #".to_string(),
        ),
        String::new(),
    )];
    for (line, note) in d.lines().zip(notes) {
        rows.push(match line {
            Line::Same(r, _) => (" ", cell(r), note),
            Line::Changed(r, s) => {
                let (x, y) = (cell(r), cell(s));
                let name = if x.0 == y.0 {
                    y.0
                } else {
                    format!("{} → {}", x.0, y.0)
                };
                let shape = if x.1 == y.1 {
                    y.1
                } else {
                    format!("{} → {}", x.1, y.1)
                };
                let params = if x.2 == y.2 {
                    y.2
                } else {
                    format!("{} → {}", x.2, y.2)
                };
                ("~", (name, shape, params), note)
            }
            Line::Removed(r) => ("-", cell(r), note),
            Line::Added(r) => ("+", cell(r), note),
        });
    }
    let width = |f: fn(&(String, String, String)) -> &String| {
        rows.iter()
            .map(|r| f(&r.1).chars().count())
            .max()
            .unwrap_or(0)
    };
    let (wn, ws, wc) = (width(|c| &c.0), width(|c| &c.1), width(|c| &c.2));
    let mut out = format!("--- {}\n+++ {}\n", visible(&a.name), visible(&b.name));
    for (mark, (name, shape, params), note) in &rows {
        let line = format!("{mark} {name:<wn$}  {shape:<ws$}  {params:>wc$}  {note}");
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let total = |s: &Summary| s.totals.total().map_or("n/a".into(), thousands);
    let change = d.total_change().map_or("n/a".into(), signed);
    let _ = writeln!(out, "Total: {} → {} ({change})", total(&d.a), total(&d.b));
    let differ = d.differs() || a.input != b.input || a.layers != b.layers;
    print(
        &out,
        if exit_code && differ {
            DIFFERENT
        } else {
            BUILT
        },
    )
}

/// `budgets: 60,000 parameters, 117.19 KiB at fp16, 5,000,000 MACs`.
fn budgets_text(b: &Budget) -> String {
    let mut parts = Vec::new();
    if let Some(n) = b.params {
        parts.push(format!("{} parameters", thousands(n)));
    }
    if let Some(n) = b.memory {
        parts.push(format!("{} at {}", format_bytes(n), b.precision.label()));
    }
    if let Some(n) = b.macs {
        parts.push(format!("{} MACs", thousands(n)));
    }
    format!("budgets: {}", parts.join(", "))
}

/// Prints to stdout; a closed pipe (`| head`) is not an error. Whatever reaches the terminal
/// passes [`visible_lines`]: a name from a hostile file is shown, never obeyed.
fn print(text: &str, status: u8) -> ExitCode {
    print_parts(status, |write| write(&visible_lines(text)))
}

/// [`print`] for text made in pieces: a report of a large design (megabytes) is written as
/// it is made, never held whole. The pieces are safe as they are made (the table and JSON
/// writers pass every name and message through the one sanitising policy as they write it),
/// so they take no pass over their whole text here. A reader that stops reading is no
/// error; any other failure to write (a full disk) ends the writing and is reported, with
/// status 2, so a script never takes a cut-off report for a whole one.
fn print_parts(status: u8, make: impl FnOnce(&mut dyn FnMut(&str))) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let mut failed = None;
    make(&mut |part| {
        if failed.is_none()
            && let Err(e) = out.write_all(part.as_bytes())
        {
            failed = Some(e);
        }
    });
    match failed.map_or_else(|| out.flush(), Err) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            fail(&format!("cannot write the output: {e}"))
        }
        _ => ExitCode::from(status),
    }
}

/// Prints one line to stderr and exits with status 2 (the input could not be read).
pub fn fail(message: &str) -> ExitCode {
    warn(message);
    ExitCode::from(UNREADABLE)
}

/// Prints one message line to stderr, made safe by [`visible_lines`]. Standard error may be
/// gone with the terminal or a closed pipe: a failed write is ignored, never a panic.
fn warn(message: &str) {
    let _ = writeln!(std::io::stderr(), "{}", visible_lines(message));
}
