//! SVG output of a laid-out pedigree: presentation attributes only (no
//! style sheet, no script), so it can be inlined under a strict Content
//! Security Policy, printed, or saved as a file.

use std::fmt::Write;

use cpms_domain::pedigree::{Affection, Individual, Pedigree, Sex};

use super::{Node, PedigreeLayout, SYMBOL, layout, roman};
use crate::svg::{escape, num, shorten};

const INK: &str = "#111827";
const AFFECTED: &str = "#1f2937";
const MUTED: &str = "#374151";
const FONT: &str = "font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\"";
/// Labels longer than this are cut so they stay under their own symbol.
const LABEL_CHARS: usize = 12;

/// Draws the pedigree as a standalone SVG document with `title` as its
/// accessible name.
pub fn render_svg(pedigree: &Pedigree, title: &str) -> String {
    let layout = layout(pedigree);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" \
         width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\
         <title>{title}</title><desc>{desc}</desc>\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
        w = num(layout.width),
        h = num(layout.height),
        title = escape(title),
        desc = escape(&describe(pedigree, &layout)),
    );
    generation_numerals(&mut svg, &layout);
    lines(&mut svg, &layout);
    for node in &layout.nodes {
        if let Some(individual) = pedigree.get(node.id) {
            symbol(&mut svg, node, individual);
            caption(&mut svg, node, individual);
        }
    }
    svg.push_str("</svg>");
    svg
}

fn generation_numerals(svg: &mut String, layout: &PedigreeLayout) {
    for generation in 0..layout.generations {
        let Some(y) = layout
            .nodes
            .iter()
            .find(|n| n.generation == generation)
            .map(|n| n.y)
        else {
            continue;
        };
        let _ = write!(
            svg,
            "<text x=\"16\" y=\"{}\" {FONT} font-size=\"15\" font-weight=\"bold\" fill=\"{INK}\">{}</text>",
            num(y + 5.0),
            roman(generation + 1)
        );
    }
}

fn line(svg: &mut String, x1: f32, y1: f32, x2: f32, y2: f32) {
    let _ = write!(
        svg,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{INK}\" stroke-width=\"2\"/>",
        num(x1),
        num(y1),
        num(x2),
        num(y2)
    );
}

fn lines(svg: &mut String, layout: &PedigreeLayout) {
    for couple in &layout.couples {
        if couple.consanguineous {
            line(svg, couple.x1, couple.y - 3.0, couple.x2, couple.y - 3.0);
            line(svg, couple.x1, couple.y + 3.0, couple.x2, couple.y + 3.0);
        } else {
            line(svg, couple.x1, couple.y, couple.x2, couple.y);
        }
    }
    let x_of = |id| layout.nodes.iter().find(|n| n.id == id);
    for sibship in &layout.sibships {
        let (fx, fy) = sibship.from;
        line(svg, fx, fy, fx, sibship.y);
        let children: Vec<&Node> = sibship.children.iter().filter_map(|&c| x_of(c)).collect();
        let left = children.iter().map(|n| n.x).fold(fx, f32::min);
        let right = children.iter().map(|n| n.x).fold(fx, f32::max);
        if right > left {
            line(svg, left, sibship.y, right, sibship.y);
        }
        for child in children {
            line(svg, child.x, sibship.y, child.x, child.y - SYMBOL / 2.0);
        }
    }
}

fn symbol(svg: &mut String, node: &Node, individual: &Individual) {
    let (x, y, r) = (node.x, node.y, SYMBOL / 2.0);
    let affected = individual.affection == Affection::Affected;
    let fill = if affected { AFFECTED } else { "#ffffff" };
    let paint = format!("fill=\"{fill}\" stroke=\"{INK}\" stroke-width=\"2\"");
    let _ = match individual.sex {
        Sex::Male => write!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"{SYMBOL}\" height=\"{SYMBOL}\" {paint}/>",
            num(x - r),
            num(y - r)
        ),
        Sex::Female => write!(
            svg,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{r}\" {paint}/>",
            num(x),
            num(y)
        ),
        Sex::Unknown => write!(
            svg,
            "<polygon points=\"{},{} {},{} {},{} {},{}\" {paint}/>",
            num(x),
            num(y - r),
            num(x + r),
            num(y),
            num(x),
            num(y + r),
            num(x - r),
            num(y)
        ),
    };
    if individual.carrier {
        let dot = if affected { "#ffffff" } else { INK };
        let _ = write!(
            svg,
            "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{dot}\"/>",
            num(x),
            num(y)
        );
    }
    if individual.deceased {
        line(svg, x - r - 7.0, y + r + 7.0, x + r + 7.0, y - r - 7.0);
    }
    if individual.proband {
        // Arrow pointing at the lower-left corner, with "P" at its tail.
        let (tip_x, tip_y) = (x - r - 2.0, y + r + 2.0);
        line(svg, tip_x - 18.0, tip_y + 18.0, tip_x - 4.0, tip_y + 4.0);
        let _ = write!(
            svg,
            "<polygon points=\"{},{} {},{} {},{}\" fill=\"{INK}\"/>\
             <text x=\"{}\" y=\"{}\" {FONT} font-size=\"12\" font-weight=\"bold\" fill=\"{INK}\">P</text>",
            num(tip_x),
            num(tip_y),
            num(tip_x - 9.0),
            num(tip_y + 3.0),
            num(tip_x - 3.0),
            num(tip_y + 9.0),
            num(tip_x - 30.0),
            num(tip_y + 26.0)
        );
    }
}

/// Number, label and birth year under the symbol.
fn caption(svg: &mut String, node: &Node, individual: &Individual) {
    let mut lines = vec![(node.number.to_string(), "11", "bold")];
    if let Some(label) = individual.label.as_deref().filter(|l| !l.trim().is_empty()) {
        lines.push((shorten(label, LABEL_CHARS), "10", "normal"));
    }
    if let Some(year) = individual.birth_year {
        lines.push((format!("b. {year}"), "10", "normal"));
    }
    let mut y = node.y + SYMBOL / 2.0 + 15.0;
    for (text, size, weight) in lines {
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" {FONT} font-size=\"{size}\" font-weight=\"{weight}\" fill=\"{MUTED}\">{}</text>",
            num(node.x),
            num(y),
            escape(&text)
        );
        y += 13.0;
    }
}

/// A text equivalent of the drawing for screen readers.
fn describe(pedigree: &Pedigree, layout: &PedigreeLayout) -> String {
    let node = |id| layout.nodes.iter().find(|n| n.id == id);
    let mut text = format!(
        "Pedigree of {} individuals in {} generations.",
        pedigree.individuals().len(),
        layout.generations
    );
    if let Some(proband) = pedigree.proband().and_then(|p| node(p.id)) {
        let _ = write!(text, " Proband: {}.", proband.reference());
    }
    let list = |pick: &dyn Fn(&Individual) -> bool| -> Vec<String> {
        let mut nodes: Vec<&Node> = pedigree
            .individuals()
            .iter()
            .filter(|i| pick(i))
            .filter_map(|i| node(i.id))
            .collect();
        nodes.sort_by_key(|n| (n.generation, n.number));
        nodes.iter().map(|n| n.reference()).collect()
    };
    for (name, members) in [
        ("Affected", list(&|i| i.affection == Affection::Affected)),
        ("Carriers", list(&|i| i.carrier)),
        ("Deceased", list(&|i| i.deceased)),
    ] {
        if !members.is_empty() {
            let _ = write!(text, " {name}: {}.", members.join(", "));
        }
    }
    let consanguineous = pedigree
        .partnerships()
        .iter()
        .filter(|p| p.consanguineous)
        .count();
    if consanguineous > 0 {
        let _ = write!(text, " Consanguineous couples: {consanguineous}.");
    }
    text
}
